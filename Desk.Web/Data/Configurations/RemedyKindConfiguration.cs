using Desk.Domain.Remedies;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Desk.Web.Data.Configurations;

internal sealed class RemedyKindConfiguration : IEntityTypeConfiguration<RemedyKind>
{
    public void Configure(EntityTypeBuilder<RemedyKind> kind)
    {
        kind.ToTable("RemedyKinds");
        kind.HasKey(k => k.Id);
        kind.Property(k => k.Id).ValueGeneratedNever();
        kind.Property(k => k.Code).HasMaxLength(100).IsRequired();
        kind.HasIndex(k => k.Code).IsUnique();
        kind.Property(k => k.Name).HasMaxLength(200).IsRequired();
        kind.Property(k => k.NameZh).HasMaxLength(200).IsRequired();

        // Every desk starts with the standard remedies; admins edit the list from there.
        kind.HasData(RemedyKinds.Default.Select(k => new { k.Id, k.Code, k.Name, k.NameZh, k.SortOrder, k.IsActive }));
    }
}
