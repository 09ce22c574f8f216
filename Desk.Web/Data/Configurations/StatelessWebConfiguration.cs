using Desk.Web.Email.Intake;
using Desk.Web.Features.Orders;
using Desk.Web.Features.Public;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Desk.Web.Data.Configurations;

internal sealed class MailSourceStateConfiguration : IEntityTypeConfiguration<MailSourceState>
{
    public void Configure(EntityTypeBuilder<MailSourceState> source)
    {
        source.ToTable("MailSources");
        source.HasKey(s => s.Source);
        source.Property(s => s.Source).HasMaxLength(200);
        source.Property(s => s.PolledBy).HasMaxLength(200);
        source.Property(s => s.LastError).HasMaxLength(2_000);
    }
}

internal sealed class OrderUploadConfiguration : IEntityTypeConfiguration<OrderUpload>
{
    public void Configure(EntityTypeBuilder<OrderUpload> upload)
    {
        upload.ToTable("OrderUploads");
        upload.HasKey(u => u.Token);
        upload.Property(u => u.Token).HasMaxLength(32);
        upload.Property(u => u.Owner).HasMaxLength(256).IsRequired();
        upload.HasIndex(u => u.ExpiresAt); // the clean-up of previews never confirmed
    }
}

internal sealed class OrderUploadChunkConfiguration : IEntityTypeConfiguration<OrderUploadChunk>
{
    public void Configure(EntityTypeBuilder<OrderUploadChunk> chunk)
    {
        chunk.ToTable("OrderUploadChunks");
        chunk.HasKey(c => new { c.Token, c.Index });
        chunk.Property(c => c.Token).HasMaxLength(32);
        chunk.Property(c => c.Content).IsRequired();
        chunk.HasOne<OrderUpload>().WithMany().HasForeignKey(c => c.Token).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class PublicPostCountConfiguration : IEntityTypeConfiguration<PublicPostCount>
{
    public void Configure(EntityTypeBuilder<PublicPostCount> count)
    {
        count.ToTable("PublicPostCounts");
        count.HasKey(c => new { c.Key, c.WindowStart }); // the upsert's conflict target
        count.Property(c => c.Key).HasMaxLength(64);
        count.HasIndex(c => c.WindowStart); // the clean-up of past windows
    }
}
