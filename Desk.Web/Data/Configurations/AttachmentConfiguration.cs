using Desk.Domain.Tickets;
using Desk.Web.Features.Attachments;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Desk.Web.Data.Configurations;

internal sealed class AttachmentConfiguration : IEntityTypeConfiguration<Attachment>
{
    public void Configure(EntityTypeBuilder<Attachment> attachment)
    {
        attachment.ToTable("Attachments");
        attachment.HasKey(a => a.Id);
        attachment.Property(a => a.FileName).HasMaxLength(200).IsRequired();
        attachment.Property(a => a.ContentType).HasMaxLength(100).IsRequired();
        attachment.Property(a => a.ContentId).HasMaxLength(300);
        attachment.HasOne<Ticket>().WithMany().HasForeignKey(a => a.TicketId).OnDelete(DeleteBehavior.Cascade);
        attachment.HasOne(a => a.Entry).WithMany().HasForeignKey(a => a.ConversationEntryId).OnDelete(DeleteBehavior.Cascade);
        attachment.HasIndex(a => new { a.TicketId, a.ConversationEntryId });
    }
}
