using Desk.Domain.Tickets;
using Desk.Web.Features.Public;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Desk.Web.Data.Configurations;

internal sealed class ContactConfirmationConfiguration : IEntityTypeConfiguration<ContactConfirmation>
{
    public void Configure(EntityTypeBuilder<ContactConfirmation> confirmation)
    {
        confirmation.ToTable("ContactConfirmations");
        confirmation.HasKey(c => c.Id);
        confirmation.Property(c => c.TokenHash).HasMaxLength(64).IsRequired();
        confirmation.HasIndex(c => c.TokenHash).IsUnique();
        confirmation.HasOne<Ticket>().WithMany().HasForeignKey(c => c.TicketId).OnDelete(DeleteBehavior.Cascade);
    }
}
