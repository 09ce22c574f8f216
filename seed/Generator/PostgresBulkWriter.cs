using Desk.Domain.Sla;
using Npgsql;
using NpgsqlTypes;
using static Desk.Seed.StoredForm;

namespace Desk.Seed;

/// <summary>
/// Writes generated rows into a PostgreSQL desk database with binary COPY, one transaction per batch. It writes the
/// same columns and values as <see cref="SqliteBulkWriter"/> (UTC times as Unix milliseconds, money as cents, enums by
/// name), as the PostgreSQL columns' own types: <c>bigint</c>, <c>integer</c>, text, <c>boolean</c>. A value of the
/// wrong width is refused by the server, not stored wrong; a round-trip test compares what EF reads back on both.
/// </summary>
/// <remarks>
/// Ids are explicit, so the tables' identity sequences are left behind: the caller moves them on after the load
/// (the web app's <c>PostgresBulkLoad</c>), as it does everything that needs the web app's SQL.
/// </remarks>
internal sealed class PostgresBulkWriter(NpgsqlConnection connection) : IDemoDataWriter
{
    /// <summary>This database's writer on <paramref name="connection"/>, or null when it is another database's connection.</summary>
    public static PostgresBulkWriter? For(System.Data.Common.DbConnection connection) => connection is NpgsqlConnection c ? new(c) : null;

    private static readonly string CopyCustomers = Copy("Customers", "Id", "Email", "Name", "Phone", "Language", "Level", "FirstSeenAt");
    private static readonly string CopyOrders = Copy("Orders", "Id", "ExternalRef", "CustomerId", "PlacedAt", "Amount", "Product", "Category");
    private static readonly string CopyTickets = Copy("Tickets", "Id", "Version", "State", "Kind", "Channel", "Severity", "Impact",
        "SafetyRisk", "CustomerId", "CustomerLevel", "IsRepeatComplaint", "Subject", "Description", "RemedySoughtId",
        "OrderReference", "Product", "AssignedTo", "EscalationReason", "ReceivedAt", "UpdatedAt", "AcknowledgedAt",
        "FirstRespondedAt", "FirstResponseDueAt", "ResolutionDueAt", "ResolvedAt", "FollowUpDueAt", "FollowUpRecordedAt",
        "ClosedAt", "RemedyGivenId", "RemedyCost", "RootCauseId", "RootCauseNote", "Decision", "CustomerAccepted",
        "FollowUpNote", "RejectionReason", "MergedIntoTicketId", "ReopenCount", "CustomerWroteAt");
    private static readonly string CopyEntries = Copy("ConversationEntries", "Id", "TicketId", "Kind", "Author", "At", "Body");
    private static readonly string CopyAudit = Copy("AuditEntries", "Id", "TicketId", "Actor", "At", "FromState", "Trigger", "ToState", "Comment");
    private static readonly string CopySurveys = Copy("Surveys", "Id", "TicketId", "CustomerId", "Language", "CreatedAt", "SendAfter", "SentAt",
        "ExpiresAt", "TokenHash", "AnsweredAt", "OutcomeSatisfaction", "HandlingSatisfaction", "Intention", "AcceptsDecision", "Reliability",
        "Responsiveness", "Assurance", "Empathy", "Tangibles", "Comment");
    private static readonly string CopyTasks = Copy("FollowUpTasks", "Id", "TicketId", "CustomerId", "Kind", "DueAt", "AssignedTo", "CreatedBy", "CreatedAt");

    public void Dispose()
    {
    }

    public void EnsureEmpty() => DeskReads.EnsureEmpty(connection, "Use a new database, or let the seed command replace this one (--replace).");

    public SlaPolicy ReadSlaPolicy() => DeskReads.SlaPolicy(connection);

    public IReadOnlyList<(int Id, int? ParentId, string Code)> ReadRootCauses() => DeskReads.RootCauses(connection);

    public void Write(Batch batch)
    {
        using var transaction = connection.BeginTransaction();
        // Parents before children, as the foreign keys (when they are there during the load) check each row.
        Load(CopyCustomers, batch.Customers, static (row, c) =>
            row.Big(c.Id).Text(c.Email).Text(c.Name).Text(c.Phone).Text(c.Language).Text(Name(c.Level)).Big(Ms(c.FirstSeenAt)));
        Load(CopyOrders, batch.Orders, static (row, o) =>
            row.Big(o.Id).Text(o.ExternalRef).Big(o.CustomerId).Big(Ms(o.PlacedAt)).Big(Cents(o.Amount)).Text(o.Product).Text(o.Category));
        Load(CopyTickets, batch.Tickets, static (row, t) =>
            row.Big(t.Id).Int(t.Version).Text(Name(t.State)).Text(Name(t.Kind)).Text(Name(t.Channel)).Text(Name(t.Severity))
                .Text(Name(t.Impact)).Bool(t.SafetyRisk).Big(t.CustomerId).Text(Name(t.CustomerLevel)).Bool(t.IsRepeatComplaint)
                .Text(t.Subject).Text(t.Description).Int(t.RemedySoughtId).Text(t.OrderReference).Text(t.Product).Text(t.AssignedTo)
                .Text(t.EscalationReason).Big(Ms(t.ReceivedAt)).Big(Ms(t.UpdatedAt)).Big(Ms(t.AcknowledgedAt)).Big(Ms(t.FirstRespondedAt))
                .Big(Ms(t.FirstResponseDueAt)).Big(Ms(t.ResolutionDueAt)).Big(Ms(t.ResolvedAt)).Big(Ms(t.FollowUpDueAt))
                .Big(Ms(t.FollowUpRecordedAt)).Big(Ms(t.ClosedAt)).Int(t.RemedyGivenId).Big(Cents(t.RemedyCost)).Int(t.RootCauseId)
                .Text(t.RootCauseNote).Text(t.Decision).Bool(t.CustomerAccepted)
                .Text(t.FollowUpNote).Text(Name(t.RejectionReason)).Big(t.MergedIntoTicketId).Int(t.ReopenCount).Big(Ms(t.CustomerWroteAt)));
        Load(CopyEntries, batch.Conversation, static (row, e) =>
            row.Big(e.Id).Big(e.TicketId).Text(Name(e.Kind)).Text(e.Author).Big(Ms(e.At)).Text(e.Body));
        Load(CopyAudit, batch.Audit, static (row, a) =>
            row.Big(a.Id).Big(a.TicketId).Text(a.Actor).Big(Ms(a.At)).Text(Name(a.FromState)).Text(Name(a.Trigger)).Text(Name(a.ToState)).Text(a.Comment));
        Load(CopySurveys, batch.Surveys, static (row, v) =>
            row.Big(v.Id).Big(v.TicketId).Big(v.CustomerId).Text(v.Language).Big(Ms(v.CreatedAt)).Big(Ms(v.SendAfter)).Big(Ms(v.SentAt))
                .Big(Ms(v.ExpiresAt)).Text(v.TokenHash).Big(Ms(v.AnsweredAt)).Int(v.OutcomeSatisfaction).Int(v.HandlingSatisfaction).Int(v.Intention)
                .Bool(v.AcceptsDecision).Int(v.Reliability).Int(v.Responsiveness).Int(v.Assurance).Int(v.Empathy).Int(v.Tangibles).Text(v.Comment));
        Load(CopyTasks, batch.FollowUpTasks, static (row, k) =>
            row.Big(k.Id).Big(k.TicketId).Big(k.CustomerId).Text(Name(k.Kind)).Big(Ms(k.DueAt)).Text(k.AssignedTo).Text("desk").Big(Ms(k.CreatedAt)));
        transaction.Commit();
    }

    /// <summary>One COPY of <paramref name="rows"/>. An exception before <c>Complete</c> cancels it (the batch's transaction rolls back).</summary>
    private void Load<T>(string copy, List<T> rows, Action<CopyRow, T> write)
    {
        if (rows.Count == 0) return;
        using var import = connection.BeginBinaryImport(copy);
        var row = new CopyRow(import);
        foreach (var value in rows)
        {
            import.StartRow();
            write(row, value);
        }
        import.Complete();
    }

    private static string Copy(string table, params string[] columns) =>
        $"COPY \"{table}\" ({string.Join(", ", columns.Select(c => $"\"{c}\""))}) FROM STDIN (FORMAT BINARY)";

    /// <summary>
    /// The values of one COPY row, each written as its column's type: a <c>bigint</c> as 8 bytes, an <c>integer</c> as 4,
    /// a <c>boolean</c> as 1, text as UTF-8 (the same for text and varchar, whose length limit the server still checks).
    /// </summary>
    private sealed class CopyRow(NpgsqlBinaryImporter import)
    {
        public CopyRow Big(long value)
        {
            import.Write(value, NpgsqlDbType.Bigint);
            return this;
        }

        public CopyRow Big(long? value) => value is { } v ? Big(v) : Null();

        public CopyRow Int(int value)
        {
            import.Write(value, NpgsqlDbType.Integer);
            return this;
        }

        public CopyRow Int(int? value) => value is { } v ? Int(v) : Null();

        public CopyRow Bool(bool value)
        {
            import.Write(value, NpgsqlDbType.Boolean);
            return this;
        }

        public CopyRow Bool(bool? value) => value is { } v ? Bool(v) : Null();

        public CopyRow Text(string? value)
        {
            if (value is null) return Null();
            import.Write(value, NpgsqlDbType.Text);
            return this;
        }

        private CopyRow Null()
        {
            import.WriteNull();
            return this;
        }
    }
}
