using Desk.Web.Features.Api;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Desk.Web.Data.Configurations;

internal sealed class ApiRequestCountConfiguration : IEntityTypeConfiguration<ApiRequestCount>
{
    public void Configure(EntityTypeBuilder<ApiRequestCount> count)
    {
        count.ToTable("ApiRequestCounts");
        count.HasKey(c => new { c.ApiKeyId, c.WindowStart }); // the upsert's conflict target
        count.HasIndex(c => c.WindowStart); // the clean-up of past minutes
        count.HasOne<ApiKey>().WithMany().HasForeignKey(c => c.ApiKeyId).OnDelete(DeleteBehavior.Cascade);
    }
}
