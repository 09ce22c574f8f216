using Desk.Domain.Tickets;
using Desk.Web.Features.Queue;
using Desk.Web.Features.Tags;
using Desk.Web.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Desk.Web.Data.Configurations;

internal sealed class TicketTagConfiguration : IEntityTypeConfiguration<TicketTag>
{
    public void Configure(EntityTypeBuilder<TicketTag> tag)
    {
        tag.ToTable("TicketTags");
        // Both ways: the key finds a ticket's tags; the second index finds a tag's tickets (the queue's tag filter, the
        // report's breakdown) without reading the table, at a million tickets as at a thousand.
        tag.HasKey(t => new { t.TicketId, t.Name });
        tag.HasIndex(t => new { t.Name, t.TicketId }).HasDatabaseName("IX_TicketTags_Name_Ticket");
        tag.Property(t => t.Name).HasMaxLength(TagName.MaxLength).IsRequired();
        tag.HasOne<Ticket>().WithMany(t => t.Tags).HasForeignKey(t => t.TicketId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class CuratedTagConfiguration : IEntityTypeConfiguration<CuratedTag>
{
    public void Configure(EntityTypeBuilder<CuratedTag> tag)
    {
        tag.ToTable("CuratedTags");
        tag.HasKey(t => t.Name);
        tag.Property(t => t.Name).HasMaxLength(TagName.MaxLength);
    }
}

internal sealed class SavedViewConfiguration : IEntityTypeConfiguration<SavedView>
{
    public void Configure(EntityTypeBuilder<SavedView> view)
    {
        view.ToTable("SavedViews");
        view.HasKey(v => v.Id);
        view.Property(v => v.Name).HasMaxLength(SavedView.MaxNameLength).IsRequired();
        view.Property(v => v.Query).HasMaxLength(2000).IsRequired();
        view.HasIndex(v => new { v.UserId, v.Name }).IsUnique();
        view.HasOne<DeskUser>().WithMany().HasForeignKey(v => v.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
