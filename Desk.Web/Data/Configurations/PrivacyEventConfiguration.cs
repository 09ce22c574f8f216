using Desk.Web.Features.Privacy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Desk.Web.Data.Configurations;

internal sealed class PrivacyEventConfiguration : IEntityTypeConfiguration<PrivacyEvent>
{
    public void Configure(EntityTypeBuilder<PrivacyEvent> privacy)
    {
        privacy.ToTable("PrivacyEvents");
        privacy.HasKey(p => p.Id);
        privacy.Property(p => p.Action).HasConversion<string>().HasMaxLength(20);
        privacy.Property(p => p.Actor).HasMaxLength(256).IsRequired();
        // No foreign key to the customer: the trail is kept whatever becomes of the row it names.
        privacy.HasIndex(p => new { p.Action, p.At });
        privacy.HasIndex(p => p.CustomerId);
    }
}
