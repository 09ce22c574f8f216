namespace Desk.Web.Features.Public;

/// <summary>
/// Posts counted in one window for one key (a client address or a customer's e-mail address, hashed), in the database so
/// that every desk behind a load balancer counts against the same limit (see <see cref="PublicPostLimit"/>).
/// </summary>
public sealed class PublicPostCount
{
    private PublicPostCount() { } // for EF Core

    /// <summary>Hex SHA-256 of what is counted ("ip:…" or "to:…"): no addresses in the table.</summary>
    public string Key { get; private set; } = "";

    /// <summary>Start of the fixed window (a multiple of the window length since the Unix epoch).</summary>
    public DateTime WindowStart { get; private set; }

    public int Count { get; private set; }
}
