using Desk.Domain.Sla;
using Microsoft.Data.Sqlite;
using SQLitePCL;
using static Desk.Seed.StoredForm;

namespace Desk.Seed;

/// <summary>
/// Writes generated rows into a SQLite desk database with prepared INSERT statements, one transaction
/// per batch: about six times faster than EF Core's change tracker for a million tickets. This is the
/// generator's only SQLite-specific code; it stores what the web app's model stores (UTC times as
/// Unix milliseconds, money as cents, enums by name), which a round-trip test keeps in step.
/// </summary>
internal sealed class SqliteBulkWriter(SqliteConnection connection) : IDemoDataWriter
{
    /// <summary>This database's writer on <paramref name="connection"/>, or null when it is another database's connection.</summary>
    public static SqliteBulkWriter? For(System.Data.Common.DbConnection connection) => connection is SqliteConnection c ? new(c) : null;

    public void Dispose()
    {
        foreach (var statement in new[] { _customer, _order, _ticket, _entry, _audit, _survey, _task }) statement?.Dispose();
    }

    private InsertStatement? _customer, _order, _ticket, _entry, _audit, _survey, _task;

    public void EnsureEmpty() => DeskReads.EnsureEmpty(connection, "Use a new database file.");

    public SlaPolicy ReadSlaPolicy() => DeskReads.SlaPolicy(connection);

    public IReadOnlyList<(int Id, int? ParentId, string Code)> ReadRootCauses() => DeskReads.RootCauses(connection);

    public void Write(Batch batch)
    {
        using var transaction = connection.BeginTransaction();
        _customer ??= Prepare("Customers", "Id", "Email", "Name", "Phone", "Language", "Level", "FirstSeenAt");
        _order ??= Prepare("Orders", "Id", "ExternalRef", "CustomerId", "PlacedAt", "Amount", "Product", "Category");
        _ticket ??= Prepare("Tickets", "Id", "Version", "State", "Kind", "Channel", "Severity", "Impact",
            "SafetyRisk", "CustomerId", "CustomerLevel", "IsRepeatComplaint", "Subject", "Description", "RemedySoughtId",
            "OrderReference", "Product", "AssignedTo", "EscalationReason", "ReceivedAt", "UpdatedAt", "AcknowledgedAt",
            "FirstRespondedAt", "FirstResponseDueAt", "ResolutionDueAt", "ResolvedAt", "FollowUpDueAt", "FollowUpRecordedAt",
            "ClosedAt", "RemedyGivenId", "RemedyCost", "RootCauseId", "RootCauseNote", "Decision", "CustomerAccepted",
            "FollowUpNote", "RejectionReason", "MergedIntoTicketId", "ReopenCount", "CustomerWroteAt");
        _entry ??= Prepare("ConversationEntries", "Id", "TicketId", "Kind", "Author", "At", "Body");
        _audit ??= Prepare("AuditEntries", "Id", "TicketId", "Actor", "At", "FromState", "Trigger", "ToState", "Comment");
        _survey ??= Prepare("Surveys", "Id", "TicketId", "CustomerId", "Language", "CreatedAt", "SendAfter", "SentAt", "ExpiresAt", "TokenHash",
            "AnsweredAt", "OutcomeSatisfaction", "HandlingSatisfaction", "Intention", "AcceptsDecision", "Reliability", "Responsiveness",
            "Assurance", "Empathy", "Tangibles", "Comment");
        _task ??= Prepare("FollowUpTasks", "Id", "TicketId", "CustomerId", "Kind", "DueAt", "AssignedTo", "CreatedBy", "CreatedAt");

        foreach (var c in batch.Customers)
            _customer.Int(c.Id).Text(c.Email).Text(c.Name).Text(c.Phone).Text(c.Language).Text(Name(c.Level)).Int(Ms(c.FirstSeenAt)).Insert();
        foreach (var o in batch.Orders)
            _order.Int(o.Id).Text(o.ExternalRef).Int(o.CustomerId).Int(Ms(o.PlacedAt)).Int(Cents(o.Amount)).Text(o.Product).Text(o.Category).Insert();
        foreach (var t in batch.Tickets)
            _ticket.Int(t.Id).Int(t.Version).Text(Name(t.State)).Text(Name(t.Kind)).Text(Name(t.Channel)).Text(Name(t.Severity))
                .Text(Name(t.Impact)).Int(t.SafetyRisk ? 1 : 0).Int(t.CustomerId).Text(Name(t.CustomerLevel)).Int(t.IsRepeatComplaint ? 1 : 0)
                .Text(t.Subject).Text(t.Description).Int(t.RemedySoughtId).Text(t.OrderReference).Text(t.Product).Text(t.AssignedTo)
                .Text(t.EscalationReason).Int(Ms(t.ReceivedAt)).Int(Ms(t.UpdatedAt)).Int(Ms(t.AcknowledgedAt)).Int(Ms(t.FirstRespondedAt))
                .Int(Ms(t.FirstResponseDueAt)).Int(Ms(t.ResolutionDueAt)).Int(Ms(t.ResolvedAt)).Int(Ms(t.FollowUpDueAt))
                .Int(Ms(t.FollowUpRecordedAt)).Int(Ms(t.ClosedAt)).Int(t.RemedyGivenId).Int(Cents(t.RemedyCost)).Int(t.RootCauseId)
                .Text(t.RootCauseNote).Text(t.Decision).Int(t.CustomerAccepted is { } accepted ? (accepted ? 1 : 0) : null)
                .Text(t.FollowUpNote).Text(Name(t.RejectionReason)).Int(t.MergedIntoTicketId).Int(t.ReopenCount).Int(Ms(t.CustomerWroteAt)).Insert();
        foreach (var e in batch.Conversation)
            _entry.Int(e.Id).Int(e.TicketId).Text(Name(e.Kind)).Text(e.Author).Int(Ms(e.At)).Text(e.Body).Insert();
        foreach (var a in batch.Audit)
            _audit.Int(a.Id).Int(a.TicketId).Text(a.Actor).Int(Ms(a.At)).Text(Name(a.FromState)).Text(Name(a.Trigger))
                .Text(Name(a.ToState)).Text(a.Comment).Insert();
        foreach (var v in batch.Surveys)
            _survey.Int(v.Id).Int(v.TicketId).Int(v.CustomerId).Text(v.Language).Int(Ms(v.CreatedAt)).Int(Ms(v.SendAfter)).Int(Ms(v.SentAt))
                .Int(Ms(v.ExpiresAt)).Text(v.TokenHash).Int(Ms(v.AnsweredAt)).Int(v.OutcomeSatisfaction).Int(v.HandlingSatisfaction).Int(v.Intention)
                .Int(v.AcceptsDecision is { } accepts ? (accepts ? 1 : 0) : null).Int(v.Reliability).Int(v.Responsiveness).Int(v.Assurance)
                .Int(v.Empathy).Int(v.Tangibles).Text(v.Comment).Insert();
        foreach (var k in batch.FollowUpTasks)
            _task.Int(k.Id).Int(k.TicketId).Int(k.CustomerId).Text(Name(k.Kind)).Int(Ms(k.DueAt)).Text(k.AssignedTo).Text("desk").Int(Ms(k.CreatedAt)).Insert();
        transaction.Commit();
    }

    private InsertStatement Prepare(string table, params string[] columns) => new(connection.Handle!,
        $"INSERT INTO \"{table}\" ({string.Join(", ", columns.Select(c => $"\"{c}\""))}) VALUES ({string.Join(", ", columns.Select(_ => "?"))})");

    /// <summary>
    /// One prepared INSERT, bound and stepped through SQLitePCL directly: Microsoft.Data.Sqlite's
    /// ExecuteNonQuery builds a data reader per call, which made it the bottleneck of a million-ticket load.
    /// </summary>
    private sealed class InsertStatement : IDisposable
    {
        private readonly sqlite3 _db;
        private readonly sqlite3_stmt _statement;
        private int _next = 1;
        private byte[] _utf8 = new byte[4096];

        public InsertStatement(sqlite3 db, string sql)
        {
            _db = db;
            Check(raw.sqlite3_prepare_v2(db, sql, out _statement));
        }

        public InsertStatement Int(long value)
        {
            Check(raw.sqlite3_bind_int64(_statement, _next++, value));
            return this;
        }

        public InsertStatement Int(long? value) => value is { } v ? Int(v) : Null();

        public InsertStatement Text(string? value)
        {
            if (value is null) return Null();
            // Encode into a reused buffer; SQLite copies the bytes (SQLITE_TRANSIENT), so reuse is safe.
            var needed = System.Text.Encoding.UTF8.GetMaxByteCount(value.Length);
            if (_utf8.Length < needed) _utf8 = new byte[Math.Max(needed, _utf8.Length * 2)];
            var length = System.Text.Encoding.UTF8.GetBytes(value, _utf8);
            Check(raw.sqlite3_bind_text(_statement, _next++, _utf8.AsSpan(0, length)));
            return this;
        }

        private InsertStatement Null()
        {
            Check(raw.sqlite3_bind_null(_statement, _next++));
            return this;
        }

        public void Insert()
        {
            var result = raw.sqlite3_step(_statement);
            raw.sqlite3_reset(_statement);
            _next = 1;
            if (result != raw.SQLITE_DONE) Check(result);
        }

        public void Dispose() => _statement.Dispose(); // sqlite3_finalize

        private void Check(int result)
        {
            if (result is not (raw.SQLITE_OK or raw.SQLITE_DONE))
                throw new InvalidOperationException($"SQLite refused demo data: {raw.sqlite3_errmsg(_db).utf8_to_string()} (code {result}).");
        }
    }
}

/// <summary>
/// Loading a database file nobody else is using: no journal and no fsync while loading (a crash means
/// starting again, which is fine for demo data), and the secondary indexes dropped during the load and
/// rebuilt afterwards from sorted data, several times faster than keeping nine ticket indexes up to
/// date row by row. <see cref="Dispose"/> restores WAL, the indexes and fresh planner statistics.
/// </summary>
public sealed class SqliteBulkLoad : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly List<(string Name, string Sql)> _indexes = [];

    private SqliteBulkLoad(SqliteConnection connection) => _connection = connection;

    public static SqliteBulkLoad Begin(SqliteConnection connection)
    {
        var load = new SqliteBulkLoad(connection);
        Execute(connection, "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-131072; PRAGMA foreign_keys=OFF;");
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL";
            using var reader = command.ExecuteReader();
            while (reader.Read()) load._indexes.Add((reader.GetString(0), reader.GetString(1)));
        }
        foreach (var (name, _) in load._indexes) Execute(connection, $"DROP INDEX \"{name}\"");
        return load;
    }

    /// <summary>Rebuilds the indexes (a duplicate in a unique one fails here, loudly); the file stays without its journal.</summary>
    public void BuildIndexes()
    {
        // The generator is done by now: let SQLite's sorter use the second core.
        Execute(_connection, "PRAGMA threads=2; PRAGMA cache_size=-262144;");
        foreach (var (_, sql) in _indexes) Execute(_connection, sql);
        _indexes.Clear();
    }

    /// <summary>Builds the indexes if <see cref="BuildIndexes"/> has not, then restores WAL and takes fresh planner statistics.</summary>
    public void Dispose()
    {
        BuildIndexes();
        Execute(_connection, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA analysis_limit=1000; ANALYZE;");
        // The search index's tables grow and shrink on their own; statistics taken now (often before the index is
        // built) only mislead the planner later: with "2 rows" for TicketSearch_data it scanned the whole table
        // (236 MB at a million tickets) for each segment a merge removed. Without statistics it seeks by rowid.
        Execute(_connection, "DELETE FROM sqlite_stat1 WHERE tbl LIKE 'TicketSearch%'; ANALYZE sqlite_schema;");
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
