using Desk.Web.Features.Customers;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Desk.Web.Data.Configurations;

internal sealed class CustomerLoyaltyConfiguration : IEntityTypeConfiguration<CustomerLoyalty>
{
    public void Configure(EntityTypeBuilder<CustomerLoyalty> loyalty)
    {
        // A cache replaced whole on every run (see LoyaltyScoring): no foreign key, so the rebuild checks nothing row by row,
        // and the customer id is the row id (one lookup per customer page).
        loyalty.ToTable("CustomerLoyalty");
        loyalty.HasKey(l => l.CustomerId);
        loyalty.Property(l => l.CustomerId).ValueGeneratedNever();
    }
}

internal sealed class LoyaltyRunConfiguration : IEntityTypeConfiguration<LoyaltyRun>
{
    public void Configure(EntityTypeBuilder<LoyaltyRun> run)
    {
        run.ToTable("LoyaltyRuns");
        run.HasKey(r => r.Id);
        run.Property(r => r.Reason).HasMaxLength(20).IsRequired();
    }
}
