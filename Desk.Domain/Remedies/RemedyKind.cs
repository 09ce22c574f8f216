namespace Desk.Domain.Remedies;

/// <summary>
/// A remedy the desk offers (refund, replacement, a voucher, …): asked for by the customer at intake and
/// given by the agent at resolution. Admins add their own kinds and retire ones the business no longer
/// offers; retired kinds stay on the tickets that used them, so reports keep their history.
/// </summary>
public sealed class RemedyKind
{
    private RemedyKind() { } // for EF Core

    public RemedyKind(int id, string code, string name, string nameZh, int sortOrder)
    {
        if (id <= 0) throw new DomainException("A remedy kind needs a positive id.");
        Rename(name, nameZh);
        Id = id;
        Code = string.IsNullOrWhiteSpace(code) ? throw new DomainException("A remedy kind needs a code.") : code.Trim();
        SortOrder = sortOrder;
        IsActive = true;
    }

    public int Id { get; private set; }
    /// <summary>Stable, language-neutral key, e.g. "refund".</summary>
    public string Code { get; private set; } = "";
    public string Name { get; private set; } = "";
    public string NameZh { get; private set; } = "";
    public int SortOrder { get; private set; }
    /// <summary>Retired kinds are not offered any more but stay on the tickets that used them.</summary>
    public bool IsActive { get; private set; }

    /// <summary>Renames the kind; an empty Chinese name falls back to the English one.</summary>
    public void Rename(string name, string? nameZh)
    {
        Name = string.IsNullOrWhiteSpace(name) ? throw new DomainException("A remedy kind needs a name.") : name.Trim();
        NameZh = string.IsNullOrWhiteSpace(nameZh) ? Name : nameZh.Trim();
    }

    public void Retire() => IsActive = false;
    public void Restore() => IsActive = true;
}

/// <summary>
/// The remedies every desk starts with (after ISO 10002's examples: refund, replacement, repair, a discount,
/// an apology with an explanation, a goodwill gesture, or no action). Their ids are fixed so data and
/// reports agree across desks; admins add their own from <see cref="FirstCustomId"/> up.
/// </summary>
public static class RemedyKinds
{
    public const int Refund = 1;
    public const int Replacement = 2;
    public const int Repair = 3;
    public const int DiscountOrVoucher = 4;
    public const int ApologyAndExplanation = 5;
    public const int GoodwillGesture = 6;
    public const int NoAction = 7;

    public const int FirstCustomId = 100;

    public static IReadOnlyList<RemedyKind> Default { get; } =
    [
        new(Refund, "refund", "Refund", "退款", 0),
        new(Replacement, "replacement", "Replacement", "换货", 1),
        new(Repair, "repair", "Repair", "维修", 2),
        new(DiscountOrVoucher, "discount-or-voucher", "Discount or voucher", "折扣或代金券", 3),
        new(ApologyAndExplanation, "apology-and-explanation", "Apology and explanation", "道歉并解释", 4),
        new(GoodwillGesture, "goodwill-gesture", "Goodwill gesture", "善意补偿", 5),
        new(NoAction, "no-action", "No action", "不采取措施", 6),
    ];
}
