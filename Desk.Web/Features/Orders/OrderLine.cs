using System.Globalization;
using Desk.Domain;
using Desk.Domain.Customers;

namespace Desk.Web.Features.Orders;

/// <summary>The parts of an order a shop sends; each source (CSV column, JSON property) names them its own way.</summary>
public enum OrderField { Email, Name, ExternalRef, PlacedAt, Amount, Product, Category }

/// <summary>
/// An English text with {0}-style arguments, kept apart so that a page can show it in the reader's language
/// (the template is the resource key, as everywhere in the desk). Arguments are data and are never translated.
/// </summary>
public sealed record ImportText(string Template, params object[] Arguments)
{
    public override string ToString() => Arguments.Length == 0 ? Template : string.Format(CultureInfo.InvariantCulture, Template, Arguments);
}

/// <summary>
/// One thing wrong with one order: where (<paramref name="Position"/> is the CSV row as a spreadsheet numbers it,
/// header = 1, or the index in an API batch), which field (null: the whole row or file), what is wrong, and what to do.
/// </summary>
public sealed record OrderRowError(long Position, OrderField? Field, ImportText Problem, ImportText Fix);

/// <summary>One order as it came in: text, unchecked. <see cref="SourceErrors"/> are what the source already found (bad quoting, say).</summary>
public sealed record OrderLine(long Position, string? Email, string? Name, string? ExternalRef, string? PlacedAt, string? Amount,
    string? Product, string? Category, IReadOnlyList<OrderRowError>? SourceErrors = null)
{
    /// <summary>A line that carries only its source's errors about the input as a whole (no header, no rows): no order to check.</summary>
    public static OrderLine Problems(IReadOnlyList<OrderRowError> errors) =>
        new(errors.Count > 0 ? errors[0].Position : 1, null, null, null, null, null, null, null, errors) { IsProblemsOnly = true };

    public bool IsProblemsOnly { get; private init; }
}

/// <summary>An order that passed every check on its own, with its values as the desk stores them.</summary>
public sealed record ParsedOrder(long Position, string Email, string? Name, string ExternalRef, DateTime PlacedAt, decimal Amount,
    string? Product, string? Category);

/// <summary>The checks an order passes on its own, before the desk compares it with what it already has.</summary>
public static class OrderLineRules
{
    public const int MaxRefLength = 100, MaxProductLength = 200, MaxCategoryLength = 100, MaxNameLength = 200;
    public const decimal MaxAmount = Desk.Domain.Money.MaxAmount;

    /// <summary>Dates first by year, so no reader can take 03/04 for the wrong month. "K" takes "Z", "+08:00" or nothing (then UTC).</summary>
    private static readonly string[] DateFormats =
    [
        "yyyy-MM-dd", "yyyy-MM-ddTHH:mmK", "yyyy-MM-ddTHH:mm:ssK", "yyyy-MM-ddTHH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd HH:mmK", "yyyy-MM-dd HH:mm:ssK", "yyyy-MM-dd HH:mm:ss.FFFFFFFK", "yyyy-MM-dd HH:mm:ss K",
        "yyyy/M/d", "yyyy/M/d H:mm", "yyyy/M/d H:mm:ss",
    ];

    /// <summary>Every check of the line on its own; the order when all pass, else the errors (all of them, not just the first).</summary>
    public static ParsedOrder? Parse(OrderLine line, DateTime now, List<OrderRowError> errors)
    {
        var before = errors.Count;
        if (line.SourceErrors is { Count: > 0 } found) errors.AddRange(found);
        if (line.IsProblemsOnly) return null;
        var p = line.Position;

        string? email = null;
        if (Blank(line.Email))
            errors.Add(new(p, OrderField.Email, new("The customer's e-mail address is missing."),
                new("Fill in the address the customer ordered with.")));
        else
        {
            try { email = Customer.NormalizeEmail(line.Email); }
            catch (DomainException)
            {
                errors.Add(new(p, OrderField.Email, new("\"{0}\" is not an e-mail address.", line.Email!.Trim()),
                    new("Give one address, like name@example.com.")));
            }
        }

        var reference = line.ExternalRef?.Trim();
        if (string.IsNullOrEmpty(reference))
            errors.Add(new(p, OrderField.ExternalRef, new("The order's reference is missing."),
                new("Fill in the shop's order number: Desk uses it to import each order once.")));
        else if (reference.Length > MaxRefLength)
            errors.Add(TooLong(p, OrderField.ExternalRef, MaxRefLength));

        DateTime? placedAt = null;
        if (Blank(line.PlacedAt))
            errors.Add(new(p, OrderField.PlacedAt, new("The date is missing."),
                new("Give the day the order was placed, like 2026-03-14 or 2026-03-14T10:30:00+08:00.")));
        else if (!DateTimeOffset.TryParseExact(line.PlacedAt!.Trim(), DateFormats, CultureInfo.InvariantCulture,
                     DateTimeStyles.AssumeUniversal, out var date))
            errors.Add(new(p, OrderField.PlacedAt, new("\"{0}\" is not a date Desk can read.", line.PlacedAt.Trim()),
                new("Write dates year first: 2026-03-14, optionally with a time and zone (2026-03-14T10:30:00+08:00); a time without a zone is taken as UTC.")));
        else if (date.UtcDateTime > now.AddDays(1))
            errors.Add(new(p, OrderField.PlacedAt, new("The date {0} is in the future.", line.PlacedAt.Trim()),
                new("Check the date: an order cannot be placed after today.")));
        else
            placedAt = Milliseconds(date.UtcDateTime); // as stored: the comparison with an imported order must see the same value

        decimal? amount = null;
        if (Blank(line.Amount))
            errors.Add(new(p, OrderField.Amount, new("The amount is missing."), new("Give the order's total, like 129.90.")));
        else if (!decimal.TryParse(line.Amount!.Trim(), NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign,
                     CultureInfo.InvariantCulture, out var value))
            errors.Add(new(p, OrderField.Amount, new("\"{0}\" is not an amount Desk can read.", line.Amount.Trim()),
                new("Write the amount with a dot before the cents and without a currency sign or thousands separator, like 1299.90.")));
        else if (value < 0)
            errors.Add(new(p, OrderField.Amount, new("The amount {0} is negative.", line.Amount.Trim()),
                new("Leave refunds out: an order's amount is what the customer paid.")));
        else if (value != decimal.Round(value, 2))
            errors.Add(new(p, OrderField.Amount, new("The amount {0} has more than two decimals.", line.Amount.Trim()),
                new("Round the amount to cents.")));
        else if (value > MaxAmount)
            errors.Add(new(p, OrderField.Amount, new("The amount {0} is too large.", line.Amount.Trim()),
                new("Check the amount: at most 1,000,000,000 is accepted.")));
        else
            amount = value;

        var product = Optional(line.Product);
        if (product?.Length > MaxProductLength) errors.Add(TooLong(p, OrderField.Product, MaxProductLength));
        var category = Optional(line.Category);
        if (category?.Length > MaxCategoryLength) errors.Add(TooLong(p, OrderField.Category, MaxCategoryLength));
        var name = Optional(line.Name);
        if (name?.Length > MaxNameLength) errors.Add(TooLong(p, OrderField.Name, MaxNameLength));

        return errors.Count == before
            ? new ParsedOrder(p, email!, name, reference!, placedAt!.Value, amount!.Value, product, category)
            : null;
    }

    /// <summary>A field's value as an error message shows it (dates in UTC, amounts with cents).</summary>
    public static string Show(OrderField field, ParsedOrder order) => field switch
    {
        OrderField.Email => order.Email,
        OrderField.PlacedAt => Show(order.PlacedAt),
        OrderField.Amount => order.Amount.ToString("0.00", CultureInfo.InvariantCulture),
        OrderField.Product => order.Product ?? "—",
        OrderField.Category => order.Category ?? "—",
        OrderField.Name => order.Name ?? "—",
        _ => order.ExternalRef,
    };

    public static string Show(DateTime utc) =>
        utc.ToString(utc.TimeOfDay == TimeSpan.Zero ? "yyyy-MM-dd" : "yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static OrderRowError TooLong(long position, OrderField field, int max) =>
        new(position, field, new("This value is longer than {0} characters.", max), new("Shorten it."));

    private static bool Blank(string? value) => string.IsNullOrWhiteSpace(value);

    private static string? Optional(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static DateTime Milliseconds(DateTime utc) =>
        new(utc.Ticks - utc.Ticks % TimeSpan.TicksPerMillisecond, DateTimeKind.Utc);
}
