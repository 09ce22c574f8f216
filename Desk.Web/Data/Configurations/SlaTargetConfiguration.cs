using Desk.Domain.Sla;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Desk.Web.Data.Configurations;

internal sealed class SlaTargetConfiguration : IEntityTypeConfiguration<SlaTarget>
{
    public void Configure(EntityTypeBuilder<SlaTarget> target)
    {
        target.ToTable("SlaTargets");
        target.HasKey(t => t.Id);
        target.Ignore(t => t.FirstResponse);
        target.Ignore(t => t.Resolution);
        target.HasIndex(t => new { t.Severity, t.Level }).IsUnique();
        target.HasData(SlaPolicy.DefaultTargets.Select((t, i) => new
        {
            Id = i + 1, t.Severity, t.Level, t.FirstResponseMinutes, t.ResolutionMinutes,
        }));
    }
}
