using Desk.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Desk.Web.Features.Signatures;

/// <summary>The lines an agent's replies end with in the customer's mail, above the desk's own line. One per agent.</summary>
public sealed class AgentSignature
{
    private AgentSignature() { } // for EF Core

    public AgentSignature(string agent, string text, DateTime now)
    {
        Agent = agent;
        Change(text, now);
    }

    public const int MaxLength = 1_000;

    /// <summary>The agent's user name, as the conversation names authors.</summary>
    public string Agent { get; private set; } = "";
    public string Text { get; private set; } = "";
    public DateTime UpdatedAt { get; private set; }

    public void Change(string text, DateTime now)
    {
        var trimmed = text.Replace("\r\n", "\n", StringComparison.Ordinal).Trim();
        if (trimmed.Length > MaxLength) throw new Desk.Domain.DomainException("The signature is too long (at most {0} characters).", MaxLength);
        Text = trimmed;
        UpdatedAt = now;
    }
}

public static class AgentSignatures
{
    /// <summary>The agent's signature, or null when they have none (or an empty one).</summary>
    public static async Task<string?> ReadAsync(DeskDbContext db, string agent, CancellationToken ct)
    {
        var signature = await db.Set<AgentSignature>().AsNoTracking().Where(s => s.Agent == agent).Select(s => s.Text).SingleOrDefaultAsync(ct);
        return string.IsNullOrWhiteSpace(signature) ? null : signature;
    }
}
