using Desk.Web.Features.Api;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Desk.Web.Data.Configurations;

internal sealed class ApiKeyConfiguration : IEntityTypeConfiguration<ApiKey>
{
    public void Configure(EntityTypeBuilder<ApiKey> key)
    {
        key.ToTable("ApiKeys");
        key.HasKey(k => k.Id);
        key.Property(k => k.Name).HasMaxLength(100).IsRequired();
        key.Property(k => k.Prefix).HasMaxLength(20).IsRequired();
        key.Property(k => k.Hash).HasMaxLength(64).IsRequired();
        key.HasIndex(k => k.Hash).IsUnique(); // every API call looks its key up by hash
        key.Property(k => k.CreatedBy).HasMaxLength(256).IsRequired();
        key.Property(k => k.RevokedBy).HasMaxLength(256);
        // Keys made before scopes existed could only send orders: the default fills them with that, and only that.
        key.Property(k => k.Scopes).HasMaxLength(200).IsRequired().HasDefaultValue(ApiScopes.OrdersWrite);
        key.Ignore(k => k.IsActive);
        key.Ignore(k => k.ScopeList);
    }
}
