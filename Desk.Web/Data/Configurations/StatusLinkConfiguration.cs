using Desk.Domain.Tickets;
using Desk.Web.Features.Public;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Desk.Web.Data.Configurations;

internal sealed class StatusLinkConfiguration : IEntityTypeConfiguration<StatusLink>
{
    public void Configure(EntityTypeBuilder<StatusLink> link)
    {
        link.ToTable("StatusLinks");
        link.HasKey(l => l.Id);
        link.Property(l => l.TokenHash).HasMaxLength(64).IsRequired();
        link.HasIndex(l => l.TokenHash).IsUnique();
        link.HasOne<Ticket>().WithMany().HasForeignKey(l => l.TicketId).OnDelete(DeleteBehavior.Cascade);
    }
}
