using Desk.Domain.Customers;
using Desk.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Desk.Web.Features.Intake;

/// <summary>Finds customers by a piece of their name, address or phone number, for an agent filing on their behalf.</summary>
public sealed class CustomerLookup(DeskDbContext db)
{
    public const int Limit = 20;

    /// <summary>At most <see cref="Limit"/> customers (erased ones never), by name; nothing for fewer than two characters.</summary>
    public async Task<IReadOnlyList<CustomerMatch>> FindAsync(string? query, CancellationToken ct)
    {
        var term = query?.Trim().ToLowerInvariant() ?? "";
        if (term.Length < 2) return [];
        var digits = new string([.. term.Where(char.IsAsciiDigit)]);
        var rows = await db.Customers.AsNoTracking()
            .Where(c => c.ErasedAt == null && (c.Name.ToLower().Contains(term) || c.Email.Contains(term)
                || (c.Phone != null && (c.Phone.Contains(term) || (digits.Length >= 4 && c.Phone.Replace(" ", "").Replace("-", "").Contains(digits))))))
            .OrderBy(c => c.Name).ThenBy(c => c.Id)
            .Take(Limit)
            .Select(c => new { c.Id, c.Name, c.Email, c.Phone })
            .ToListAsync(ct);
        return [.. rows.Select(c => new CustomerMatch(c.Id, c.Name, c.Email.EndsWith("@" + Customer.NoAddressDomain, StringComparison.Ordinal) ? null : c.Email, c.Phone))];
    }
}
