using Desk.Web.Features.Macros;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Desk.Web.Data.Configurations;

internal sealed class MacroConfiguration : IEntityTypeConfiguration<Macro>
{
    public void Configure(EntityTypeBuilder<Macro> macro)
    {
        macro.ToTable("Macros");
        macro.HasKey(m => m.Id);
        macro.Property(m => m.Title).HasMaxLength(200).IsRequired();
        macro.HasIndex(m => m.Title);
        macro.Property(m => m.Body).IsRequired();
        macro.Property(m => m.UpdatedBy).HasMaxLength(200).IsRequired();
        macro.Property(m => m.Group).HasMaxLength(100);
        macro.Property(m => m.Owner).HasMaxLength(200); // null: shared
        macro.HasIndex(m => m.Owner);
    }
}
