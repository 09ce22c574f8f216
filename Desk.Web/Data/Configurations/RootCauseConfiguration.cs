using Desk.Domain.RootCauses;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Desk.Web.Data.Configurations;

internal sealed class RootCauseConfiguration : IEntityTypeConfiguration<RootCause>
{
    public void Configure(EntityTypeBuilder<RootCause> cause)
    {
        cause.ToTable("RootCauses");
        cause.HasKey(c => c.Id);
        cause.Property(c => c.Id).ValueGeneratedNever();
        cause.Property(c => c.Code).HasMaxLength(100).IsRequired();
        cause.HasIndex(c => c.Code).IsUnique();
        cause.Property(c => c.Name).HasMaxLength(200).IsRequired();
        cause.Property(c => c.NameZh).HasMaxLength(200).IsRequired();
        cause.HasOne<RootCause>().WithMany().HasForeignKey(c => c.ParentId).OnDelete(DeleteBehavior.Restrict);

        // Every desk starts with the leaky-bucket taxonomy; admins edit it from there.
        cause.HasData(RootCauseTaxonomy.Default.Select(c => new
        {
            c.Id, c.Code, c.Name, c.NameZh, c.ParentId, c.SortOrder, c.IsActive,
        }));
    }
}
