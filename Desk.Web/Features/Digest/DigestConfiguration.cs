using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Desk.Web.Features.Digest;

internal sealed class DigestSubscriptionConfiguration : IEntityTypeConfiguration<DigestSubscription>
{
    public void Configure(EntityTypeBuilder<DigestSubscription> subscription)
    {
        subscription.ToTable("DigestSubscriptions");
        subscription.HasKey(s => s.UserName);
        subscription.Property(s => s.UserName).HasMaxLength(200);
        subscription.Property(s => s.Frequency).HasConversion<string>().HasMaxLength(10);
        subscription.Property(s => s.Day).HasConversion<string>().HasMaxLength(10);
        subscription.Property(s => s.Language).HasMaxLength(5).IsRequired();
    }
}

internal sealed class DigestDeliveryConfiguration : IEntityTypeConfiguration<DigestDelivery>
{
    public void Configure(EntityTypeBuilder<DigestDelivery> delivery)
    {
        delivery.ToTable("DigestDeliveries");
        delivery.HasKey(d => d.Id);
        delivery.Property(d => d.UserName).HasMaxLength(200).IsRequired();
        delivery.Property(d => d.Period).HasMaxLength(30).IsRequired();
        delivery.Property(d => d.MessageId).HasMaxLength(300).IsRequired();
        delivery.HasIndex(d => new { d.UserName, d.Period }).IsUnique(); // the claim: one digest per subscriber and period, however many desks
    }
}
