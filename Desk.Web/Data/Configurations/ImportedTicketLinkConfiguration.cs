using Desk.Domain.Tickets;
using Desk.Web.Features.Import;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Desk.Web.Data.Configurations;

internal sealed class ImportedTicketLinkConfiguration : IEntityTypeConfiguration<ImportedTicketLink>
{
    public void Configure(EntityTypeBuilder<ImportedTicketLink> link)
    {
        link.ToTable("ImportedTickets");
        link.HasKey(l => l.Id);
        link.Property(l => l.Source).HasMaxLength(20).IsRequired();
        link.Property(l => l.ExternalId).HasMaxLength(100).IsRequired();
        // The claim that makes an import idempotent: a ticket already brought over fails here and is skipped.
        link.HasIndex(l => new { l.Source, l.ExternalId }).IsUnique();
        link.HasIndex(l => l.TicketId);
        link.HasOne<Ticket>().WithMany().HasForeignKey(l => l.TicketId).OnDelete(DeleteBehavior.Cascade);
    }
}
