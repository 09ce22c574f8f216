using Desk.Web.Features.Api;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Desk.Web.Data.Configurations;

internal sealed class ApiIdempotencyRecordConfiguration : IEntityTypeConfiguration<ApiIdempotencyRecord>
{
    public void Configure(EntityTypeBuilder<ApiIdempotencyRecord> record)
    {
        record.ToTable("ApiIdempotencyRecords");
        record.HasKey(r => r.Id);
        record.Property(r => r.Key).HasMaxLength(100).IsRequired();
        record.Property(r => r.RequestHash).HasMaxLength(64).IsRequired();
        record.Property(r => r.Response).IsRequired();
        // The claim: one row per key and idempotency key, so a second call at the same moment fails on it and waits.
        record.HasIndex(r => new { r.ApiKeyId, r.Key }).IsUnique();
        record.HasIndex(r => r.CreatedAt); // the clean-up of old claims (ApiRateLimit)
        record.HasOne<ApiKey>().WithMany().HasForeignKey(r => r.ApiKeyId).OnDelete(DeleteBehavior.Cascade);
    }
}
