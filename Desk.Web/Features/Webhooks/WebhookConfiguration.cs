using Desk.Domain.Tickets;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Desk.Web.Features.Webhooks;

internal sealed class WebhookConfiguration : IEntityTypeConfiguration<Webhook>
{
    public void Configure(EntityTypeBuilder<Webhook> hook)
    {
        hook.ToTable("Webhooks");
        hook.HasKey(h => h.Id);
        hook.Property(h => h.Url).HasMaxLength(500).IsRequired();
        hook.Property(h => h.Events).HasConversion<int>(); // a set of flags
        hook.Property(h => h.ProtectedSecret).HasMaxLength(1000).IsRequired();
        hook.Property(h => h.SecretPrefix).HasMaxLength(10).IsRequired();
        hook.Property(h => h.CreatedBy).HasMaxLength(256).IsRequired();
        hook.Property(h => h.LastError).HasMaxLength(500);
        hook.Ignore(h => h.IsEnabled);
        hook.HasMany<WebhookDelivery>().WithOne().HasForeignKey(d => d.WebhookId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class WebhookDeliveryConfiguration : IEntityTypeConfiguration<WebhookDelivery>
{
    public void Configure(EntityTypeBuilder<WebhookDelivery> delivery)
    {
        delivery.ToTable("WebhookDeliveries");
        delivery.HasKey(d => d.Id);
        delivery.Property(d => d.Event).HasConversion<string>().HasMaxLength(20);
        delivery.Property(d => d.State).HasConversion<string>().HasMaxLength(10);
        delivery.Property(d => d.LastError).HasMaxLength(500);
        delivery.HasOne(d => d.Ticket).WithMany().HasForeignKey(d => d.TicketId).OnDelete(DeleteBehavior.Cascade);
        // The sender's claim: due pending rows, and for each the earlier pending ones of its hook and ticket.
        delivery.HasIndex(d => new { d.State, d.NextAttemptAt });
        delivery.HasIndex(d => new { d.WebhookId, d.TicketId, d.State });
        // The admin page's log: a hook's latest deliveries.
        delivery.HasIndex(d => new { d.WebhookId, d.Id });
    }
}
