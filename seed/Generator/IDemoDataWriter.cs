using Desk.Domain.Sla;

namespace Desk.Seed;

/// <summary>
/// Where generated rows go: one writer per database (SQLite's prepared statements, PostgreSQL's binary COPY), each
/// storing exactly what the web app's model stores (UTC times as Unix milliseconds, money as cents, enums by name).
/// </summary>
internal interface IDemoDataWriter : IDisposable
{
    /// <summary>Refuses a desk that holds tickets, customers or orders already: demo data goes only into an empty one.</summary>
    void EnsureEmpty();

    SlaPolicy ReadSlaPolicy();

    IReadOnlyList<(int Id, int? ParentId, string Code)> ReadRootCauses();

    /// <summary>One batch, in one transaction of its own.</summary>
    void Write(Batch batch);
}
