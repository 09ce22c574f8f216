using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Desk.Web.Features.Live;

/// <summary>
/// An agent with a ticket open, on whichever desk: the desk holding their live connection renews <see cref="SeenAt"/>
/// every few seconds and removes the row when they leave; a row not renewed for <see cref="LiveFeed.PresenceCounts"/>
/// (a desk that died) no longer counts. <see cref="TypingAt"/> is when they last typed on the page.
/// </summary>
public sealed class TicketPresence
{
    private TicketPresence() { } // for EF Core

    public long TicketId { get; private set; }
    public string UserName { get; private set; } = "";
    public DateTime SeenAt { get; private set; }
    public DateTime? TypingAt { get; private set; }
}

internal sealed class TicketPresenceConfiguration : IEntityTypeConfiguration<TicketPresence>
{
    public void Configure(EntityTypeBuilder<TicketPresence> presence)
    {
        // A handful of rows (agents × open pages); no foreign key: a row outlives nothing it matters to.
        presence.ToTable("TicketPresence");
        presence.HasKey(p => new { p.TicketId, p.UserName });
        presence.Property(p => p.UserName).HasMaxLength(256);
    }
}
