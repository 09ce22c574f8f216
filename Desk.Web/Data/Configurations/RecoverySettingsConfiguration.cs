using Desk.Domain.Recovery;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Desk.Web.Data.Configurations;

internal sealed class RecoverySettingsConfiguration : IEntityTypeConfiguration<RecoverySettings>
{
    public void Configure(EntityTypeBuilder<RecoverySettings> settings)
    {
        settings.ToTable("RecoverySettings", t => t.HasCheckConstraint("CK_RecoverySettings_OneRow", "Id = 1"));
        settings.HasKey(s => s.Id);
        settings.Property(s => s.Id).ValueGeneratedNever();
        settings.Ignore(s => s.RepurchaseWindow);
        settings.HasData(new
        {
            Id = RecoverySettings.TheOnlyId, RepurchaseWindowDays = RecoverySettings.DefaultWindowDays,
            MajorLossAmount = RecoverySettings.DefaultMajorLossAmount,
        });
    }
}
