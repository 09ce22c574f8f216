namespace Desk.Domain.Orders;

/// <summary>
/// A purchase, imported from the shop. Orders are how Desk sees behaviour: did a customer buy again after their complaint?
/// </summary>
public sealed class Order
{
    private Order() { } // for EF Core

    public Order(string externalRef, long customerId, DateTime placedAt, decimal amount, string? product, string? category)
    {
        ExternalRef = string.IsNullOrWhiteSpace(externalRef)
            ? throw new DomainException("An order needs the shop's reference.")
            : externalRef.Trim();
        if (customerId <= 0) throw new DomainException("An order must belong to a saved customer.");
        if (amount < 0) throw new DomainException("Order {0}: the amount cannot be negative.", ExternalRef);
        if (amount > Money.MaxAmount)
            throw new DomainException("Order {0}: the amount is at most {1}.", ExternalRef, Money.MaxAmount.ToString("N0", System.Globalization.CultureInfo.InvariantCulture));
        CustomerId = customerId;
        PlacedAt = placedAt;
        Amount = decimal.Round(amount, 2, MidpointRounding.AwayFromZero);
        Product = string.IsNullOrWhiteSpace(product) ? null : product.Trim();
        Category = string.IsNullOrWhiteSpace(category) ? null : category.Trim();
    }

    public long Id { get; private set; }
    /// <summary>The shop's own reference; unique, so importing the same order twice changes nothing.</summary>
    public string ExternalRef { get; private set; } = "";
    public long CustomerId { get; private set; }
    public DateTime PlacedAt { get; private set; }
    /// <summary>In the desk's currency, rounded to cents.</summary>
    public decimal Amount { get; private set; }
    public string? Product { get; private set; }
    public string? Category { get; private set; }

    /// <summary>
    /// The customer was erased: the shop's reference, which leads back to them in the shop, becomes a placeholder. What
    /// the reports count (when, how much, what was bought) stays.
    /// </summary>
    public void Anonymise()
    {
        if (Id <= 0) throw new DomainException("Only a saved order can be anonymised.");
        ExternalRef = ErasedRef(Id);
    }

    /// <summary>The placeholder reference of an anonymised order: unique, and never one a shop sends.</summary>
    public static string ErasedRef(long id) => $"erased:{id}";
}
