using Desk.Domain.Customers;
using Desk.Domain.Orders;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Desk.Web.Data.Configurations;

internal sealed class OrderConfiguration : IEntityTypeConfiguration<Order>
{
    public void Configure(EntityTypeBuilder<Order> order)
    {
        order.ToTable("Orders");
        order.HasKey(o => o.Id);
        order.Property(o => o.ExternalRef).HasMaxLength(100).IsRequired();
        order.HasIndex(o => o.ExternalRef).IsUnique(); // importing the same order twice changes nothing
        order.Property(o => o.Product).HasMaxLength(200);
        order.Property(o => o.Category).HasMaxLength(100);
        order.HasOne<Customer>().WithMany().HasForeignKey(o => o.CustomerId).OnDelete(DeleteBehavior.Restrict);
        // Repurchase questions are "did this customer order between A and B, and for how much?": customer, then date,
        // then the amount, so the recovery reports answer from the index alone without visiting the table per order.
        order.HasIndex(o => new { o.CustomerId, o.PlacedAt, o.Amount });
        order.HasIndex(o => o.PlacedAt);
    }
}
