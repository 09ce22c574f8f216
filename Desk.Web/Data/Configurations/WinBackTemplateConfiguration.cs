using Desk.Web.Features.WinBackMail;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Desk.Web.Data.Configurations;

internal sealed class WinBackTemplateConfiguration : IEntityTypeConfiguration<WinBackTemplate>
{
    public void Configure(EntityTypeBuilder<WinBackTemplate> template)
    {
        template.ToTable("WinBackTemplates");
        template.HasKey(t => t.Language);
        template.Property(t => t.Language).HasMaxLength(8);
        template.Property(t => t.Subject).HasMaxLength(WinBackTemplate.SubjectMaxLength).IsRequired();
        template.Property(t => t.Body).HasMaxLength(WinBackTemplate.BodyMaxLength).IsRequired();
        template.Property(t => t.Brand).HasMaxLength(WinBackTemplate.BrandMaxLength);
        template.Property(t => t.UpdatedBy).HasMaxLength(256);
        template.HasData(
            new { Language = "en", Subject = WinBackTemplate.DefaultSubjectEn, Body = WinBackTemplate.DefaultBodyEn, UpdatedAt = WinBackTemplate.SeededAt },
            new { Language = "zh", Subject = WinBackTemplate.DefaultSubjectZh, Body = WinBackTemplate.DefaultBodyZh, UpdatedAt = WinBackTemplate.SeededAt });
    }
}
