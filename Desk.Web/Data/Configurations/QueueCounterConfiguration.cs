using Desk.Web.Features.Queue;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Desk.Web.Data.Configurations;

internal sealed class QueueCounterConfiguration : IEntityTypeConfiguration<QueueCounter>
{
    public void Configure(EntityTypeBuilder<QueueCounter> counter)
    {
        counter.ToTable(QueueCounterKeys.Table);
        counter.HasKey(c => c.Key);
        counter.Property(c => c.Key).HasMaxLength(300);
    }
}
