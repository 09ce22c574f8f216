using Desk.Domain.Customers;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Desk.Web.Data.Configurations;

internal sealed class CustomerConfiguration : IEntityTypeConfiguration<Customer>
{
    public void Configure(EntityTypeBuilder<Customer> customer)
    {
        customer.ToTable("Customers");
        customer.HasKey(c => c.Id);
        customer.Property(c => c.Email).HasMaxLength(320).IsRequired();
        customer.HasIndex(c => c.Email).IsUnique(); // the domain lower-cases addresses, so this is case-insensitive
        customer.Property(c => c.Name).HasMaxLength(200).IsRequired();
        customer.Property(c => c.Phone).HasMaxLength(50);
        customer.Property(c => c.Language).HasMaxLength(10).IsRequired();
        customer.Property(c => c.LevelDecidedBy).HasMaxLength(256);
        customer.Property(c => c.Owner).HasMaxLength(100);
    }
}
