namespace Desk.Domain.Customers;

/// <summary>
/// Relationship levels after Kotler, chosen by how many customers there are and how profitable each is.
/// The level decides the SLA and how much follow-up a resolved complaint gets.
/// </summary>
public enum RelationshipLevel { Basic, Reactive, Accountable, Proactive, Partnership }

/// <summary>Someone who buys, and sometimes complains. Customers never sign in; they are known by e-mail address.</summary>
public sealed class Customer
{
    private Customer() { } // for EF Core

    public Customer(string email, string? name, DateTime firstSeenAt, string language = "en",
        RelationshipLevel level = RelationshipLevel.Basic, string? phone = null)
    {
        Email = NormalizeEmail(email);
        Name = OneLine.Of(name ?? "") is { Length: > 0 } line ? line : Email;
        FirstSeenAt = firstSeenAt;
        Language = NormalizeLanguage(language);
        Level = level;
        Phone = string.IsNullOrWhiteSpace(phone) ? null : phone.Trim();
    }

    /// <summary>The domain given to a customer the desk has no address for (someone who phoned or walked in without one):
    /// reserved (RFC 2606), so no mail is ever sent there and no mail can come from it.</summary>
    public const string NoAddressDomain = "no-address.invalid";

    /// <summary>
    /// A customer who gave no e-mail address (by phone, in a shop): kept under a unique placeholder on
    /// <see cref="NoAddressDomain"/>, so every rule that finds a customer by address still holds, and never mailed.
    /// </summary>
    public static Customer WithoutAddress(string name, string? phone, DateTime firstSeenAt, string language = "en")
    {
        if (string.IsNullOrWhiteSpace(name)) throw new DomainException("A customer without an e-mail address needs a name.");
        return new Customer($"{Guid.NewGuid():N}@{NoAddressDomain}", name, firstSeenAt, language, phone: phone);
    }

    /// <summary>Whether the desk can write to the customer: false for one without an address, and for an erased one.</summary>
    public bool CanBeMailed => !Email.EndsWith(".invalid", StringComparison.Ordinal);

    public long Id { get; private set; }
    /// <summary>Lower-case, trimmed; unique across the desk.</summary>
    public string Email { get; private set; } = "";
    public string Name { get; private set; } = "";
    public string? Phone { get; private set; }
    /// <summary>"en" or "zh": the language the desk writes to this customer in.</summary>
    public string Language { get; private set; } = "en";
    public RelationshipLevel Level { get; private set; }
    /// <summary>When the desk first heard of this customer (first order or first message): the start of their tenure.</summary>
    public DateTime FirstSeenAt { get; private set; }

    /// <summary>The desk user who owns the relationship (partnership customers' account reviews go to them); null: nobody.</summary>
    public string? Owner { get; private set; }

    /// <summary>Who last set <see cref="Level"/> by hand (accepting or overriding the suggestion); null while nobody has.</summary>
    public string? LevelDecidedBy { get; private set; }
    public DateTime? LevelDecidedAt { get; private set; }
    /// <summary>The level the desk suggested when the decision was made; null when there was no suggestion yet.</summary>
    public RelationshipLevel? LevelSuggestedAtDecision { get; private set; }

    /// <summary>The level was chosen by a person, against the suggestion of that moment (or with none to go by).</summary>
    public bool IsLevelOverridden => LevelDecidedAt is not null && LevelSuggestedAtDecision != Level;

    /// <summary>Sets the level without recording a decision: imports and demo data, not people.</summary>
    public void ChangeLevel(RelationshipLevel level) => Level = level;

    /// <summary>
    /// An agent or manager sets the relationship level: accepting the desk's <paramref name="suggested"/> level (the same
    /// level) or overriding it (another one). Who, when and what was suggested are kept. Recomputing the suggestion
    /// never touches <see cref="Level"/>: the person's decision stands until a person changes it.
    /// </summary>
    public void DecideLevel(RelationshipLevel level, RelationshipLevel? suggested, string decidedBy, DateTime at)
    {
        if (!Enum.IsDefined(level)) throw new DomainException("{0} is not a relationship level.", level);
        if (string.IsNullOrWhiteSpace(decidedBy)) throw new DomainException("A level decision needs the name of who made it.");
        Level = level;
        LevelSuggestedAtDecision = suggested;
        LevelDecidedBy = decidedBy.Trim();
        LevelDecidedAt = at;
    }

    /// <summary>
    /// The desk learned of something the customer did at <paramref name="at"/> (an imported order, say): their tenure
    /// starts then if that is earlier than what the desk knew. Never moves the start later.
    /// </summary>
    public void SeenAt(DateTime at)
    {
        if (at < FirstSeenAt) FirstSeenAt = at;
    }

    /// <summary>Names the desk user who owns the relationship, or nobody (null or blank).</summary>
    public void AssignOwner(string? owner)
    {
        var name = string.IsNullOrWhiteSpace(owner) ? null : owner.Trim();
        if (name is { Length: > 100 }) throw new DomainException("The text is too long ({0:N0} characters; at most {1:N0}).", name.Length, 100);
        Owner = name;
    }

    /// <summary>When the customer's personal data was erased at their request (GDPR art. 17, PIPL art. 47); null while it is held.</summary>
    public DateTime? ErasedAt { get; private set; }

    /// <summary>The domain the address of an erased customer is moved to: reserved (RFC 2606), so it can never be a real one.</summary>
    public const string ErasedDomain = "erased.invalid";

    /// <summary>
    /// Erases who the customer is: the address becomes a placeholder no mail can come from (so mail from the real address
    /// later makes a new customer), the name a placeholder, the phone gone. What reports count (the level, the start of
    /// the tenure) stays, so the figures do not move. Erasing twice changes nothing.
    /// </summary>
    public void Erase(DateTime at)
    {
        if (ErasedAt is not null) return;
        if (Id <= 0) throw new DomainException("Only a saved customer can be erased.");
        Email = $"erased-{Id}@{ErasedDomain}";
        Name = $"Erased customer {Id}";
        Phone = null;
        ErasedAt = at;
    }

    public void Rename(string name)
    {
        if (ErasedAt is not null) throw new DomainException("The customer was erased; their name cannot be set again.");
        if (string.IsNullOrWhiteSpace(name)) throw new DomainException("A customer's name cannot be empty.");
        Name = OneLine.Of(name);
    }

    public void ChangeLanguage(string language) => Language = NormalizeLanguage(language);

    /// <summary>Trims and lower-cases an address; refuses anything without one "@" between two non-empty parts.</summary>
    public static string NormalizeEmail(string? email)
    {
        var e = email?.Trim().ToLowerInvariant() ?? "";
        var at = e.IndexOf('@');
        if (at <= 0 || at != e.LastIndexOf('@') || at == e.Length - 1 || e.Length > 320 || e.Any(char.IsWhiteSpace))
            throw new DomainException("\"{0}\" is not an e-mail address.", email);
        return e;
    }

    public static IReadOnlyList<string> SupportedLanguages { get; } = ["en", "zh"];

    private static string NormalizeLanguage(string? language)
    {
        var l = language?.Trim().ToLowerInvariant() ?? "";
        if (l.StartsWith("zh", StringComparison.Ordinal)) return "zh";
        return "en";
    }
}
