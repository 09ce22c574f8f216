using Desk.Domain.Tickets;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Desk.Web.Features.Live;

/// <summary>
/// When an agent last opened a ticket, as the ticket stood then: its version and its last change. A ticket that has
/// moved past the version is "unread" for them; one the customer wrote to after <see cref="SeenAt"/> is marked
/// "customer replied". One row per agent and ticket, written when the ticket page opens.
/// </summary>
public sealed class TicketView
{
    private TicketView() { } // for EF Core

    public TicketView(string userName, long ticketId, int seenVersion, DateTime seenAt)
    {
        UserName = userName;
        TicketId = ticketId;
        SeenVersion = seenVersion;
        SeenAt = seenAt;
    }

    public string UserName { get; private set; } = "";
    public long TicketId { get; private set; }

    /// <summary>The ticket's <see cref="Ticket.Version"/> the agent last saw.</summary>
    public int SeenVersion { get; private set; }

    /// <summary>
    /// The ticket's <see cref="Ticket.UpdatedAt"/> the agent last saw — the ticket's own time, not the agent's clock, so it
    /// compares with <see cref="Ticket.CustomerWroteAt"/> whichever desk wrote either.
    /// </summary>
    public DateTime SeenAt { get; private set; }

    /// <summary>The agent opened the ticket at <paramref name="version"/>; an older version (a stale tab) changes nothing.</summary>
    public bool Saw(int version, DateTime updatedAt)
    {
        if (version <= SeenVersion) return false;
        SeenVersion = version;
        SeenAt = updatedAt;
        return true;
    }
}

internal sealed class TicketViewConfiguration : IEntityTypeConfiguration<TicketView>
{
    public void Configure(EntityTypeBuilder<TicketView> view)
    {
        view.ToTable("TicketViews");
        // The queue reads a page's 50 rows of one agent: (UserName, TicketId) is the key it seeks.
        view.HasKey(v => new { v.UserName, v.TicketId });
        view.Property(v => v.UserName).HasMaxLength(256);
        view.HasOne<Ticket>().WithMany().HasForeignKey(v => v.TicketId).OnDelete(DeleteBehavior.Cascade);
        view.HasIndex(v => v.TicketId);
    }
}
