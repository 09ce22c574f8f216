using Desk.Domain.Search;
using Microsoft.Data.Sqlite;

namespace Desk.Web.Data.Sqlite;

/// <summary>
/// Full-text search over tickets: one row per ticket in an FTS5 index (rowid = ticket id) holding its subject,
/// its customer's name and address and every message of its conversation. Contentless — the index keeps no
/// copy of the text, only the words, about a third of its size — with deletes allowed so a ticket's row can be
/// written again. SQLite triggers rewrite the row whenever a message is added or removed, the subject changes,
/// or the customer's name or address changes, in the same transaction as the change, whoever writes it.
/// A ticket without messages (an import that brought none) is indexed with its description instead. A new ticket's
/// row is written once, when the ticket is inserted, from its description — which is its first message's text — and
/// the first message's own insert then changes nothing: writing one FTS5 row twice in a transaction makes FTS5 flush
/// its pending terms to a new segment, which cost a complaint about a millisecond at the write gate.
/// The text passes through <see cref="SearchText.ForIndex"/> (registered on every connection as
/// <see cref="Function"/>) so Chinese is searchable by characters.
/// </summary>
public static class TicketSearchSql
{
    public const string Table = "TicketSearch";
    public const string Function = "desk_search_text";

    public const string CreateTable = $"""
        CREATE VIRTUAL TABLE "{Table}" USING fts5("Text", content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2');
        """;

    public const string DropTable = $"""DROP TABLE IF EXISTS "{Table}";""";

    /// <summary>Registers <see cref="Function"/>; every connection that may write tickets or messages needs it.</summary>
    public static void RegisterFunction(SqliteConnection connection) =>
        connection.CreateFunction<string?, string>(Function, SearchText.ForIndex, isDeterministic: true);

    /// <summary>The indexed text of the tickets a FROM … WHERE clause over Tickets AS t selects: subject, customer, messages (or, with none, the description).</summary>
    private static string RowsOf(string where) => $"""
        INSERT INTO "{Table}" (rowid, "Text")
        SELECT t."Id", {Function}(t."Subject" || ' ' || c."Name" || ' ' || c."Email" || ' '
            || COALESCE((SELECT group_concat(e."Body", ' ') FROM "ConversationEntries" AS e WHERE e."TicketId" = t."Id"), t."Description"))
        FROM "Tickets" AS t JOIN "Customers" AS c ON c."Id" = t."CustomerId"
        WHERE {where};
        """;

    private static string Rewrite(string ticketId) => $"""
        DELETE FROM "{Table}" WHERE rowid = {ticketId};
        {RowsOf($"t.\"Id\" = {ticketId}")}
        """;

    /// <summary>
    /// The rows of the tickets without messages written again: what a desk indexed before the description stood in for
    /// missing messages (<c>SearchSingleWrite</c> migration).
    /// </summary>
    public static string IndexTicketsWithoutMessages() => $"""
        DELETE FROM "{Table}" WHERE rowid IN (SELECT t."Id" FROM "Tickets" AS t WHERE {WithoutMessages});
        {RowsOf(WithoutMessages)}
        """;

    private const string WithoutMessages = """NOT EXISTS (SELECT 1 FROM "ConversationEntries" AS m WHERE m."TicketId" = t."Id")""";

    public static string CreateTriggers() => $"""
        CREATE TRIGGER "TicketSearch_Message_Insert" AFTER INSERT ON "ConversationEntries"
        WHEN NEW."Body" IS NOT (SELECT "Description" FROM "Tickets" WHERE "Id" = NEW."TicketId")
            OR EXISTS (SELECT 1 FROM "ConversationEntries" WHERE "TicketId" = NEW."TicketId" AND "Id" <> NEW."Id") BEGIN
        {Rewrite("NEW.\"TicketId\"")}
        END;
        CREATE TRIGGER "TicketSearch_Message_Update" AFTER UPDATE OF "Body", "TicketId" ON "ConversationEntries" BEGIN
        {Rewrite("OLD.\"TicketId\"")}
        {Rewrite("NEW.\"TicketId\"")}
        END;
        CREATE TRIGGER "TicketSearch_Message_Delete" AFTER DELETE ON "ConversationEntries" BEGIN
        {Rewrite("OLD.\"TicketId\"")}
        END;
        CREATE TRIGGER "TicketSearch_Ticket_Insert" AFTER INSERT ON "Tickets" BEGIN
        {Rewrite("NEW.\"Id\"")}
        END;
        CREATE TRIGGER "TicketSearch_Ticket_Update" AFTER UPDATE OF "Subject", "CustomerId", "Description" ON "Tickets" BEGIN
        {Rewrite("NEW.\"Id\"")}
        END;
        CREATE TRIGGER "TicketSearch_Ticket_Delete" AFTER DELETE ON "Tickets" BEGIN
        DELETE FROM "{Table}" WHERE rowid = OLD."Id";
        END;
        CREATE TRIGGER "TicketSearch_Customer_Update" AFTER UPDATE OF "Name", "Email" ON "Customers" BEGIN
        DELETE FROM "{Table}" WHERE rowid IN (SELECT "Id" FROM "Tickets" WHERE "CustomerId" = NEW."Id");
        {RowsOf("t.\"CustomerId\" = NEW.\"Id\"")}
        END;
        """;

    public const string DropTriggers = """
        DROP TRIGGER IF EXISTS "TicketSearch_Message_Insert";
        DROP TRIGGER IF EXISTS "TicketSearch_Message_Update";
        DROP TRIGGER IF EXISTS "TicketSearch_Message_Delete";
        DROP TRIGGER IF EXISTS "TicketSearch_Ticket_Insert";
        DROP TRIGGER IF EXISTS "TicketSearch_Ticket_Update";
        DROP TRIGGER IF EXISTS "TicketSearch_Ticket_Delete";
        DROP TRIGGER IF EXISTS "TicketSearch_Customer_Update";
        """;

    /// <summary>
    /// Indexes every ticket again from scratch: after the migration, or by hand after writes made without the triggers.
    /// Ends with the index merged into one segment, so the first writes after it merge nothing big. (The seed command
    /// does not call this after its bulk load: it builds the same index beside the load from the generator's texts and
    /// copies it in, also merged into one segment; a seed test compares its searches with this rebuild's.)
    /// </summary>
    public static string Rebuild() => $"""
        INSERT INTO "{Table}" ("{Table}") VALUES ('delete-all');
        {RowsOf("true")}
        INSERT INTO "{Table}" ("{Table}") VALUES ('optimize');
        """;

    /// <summary>
    /// Each write transaction adds a small segment to the index, and FTS5 by default merges segments inside the write
    /// that tips a level over (automerge): at a million tickets one note in a few hundred then waited seconds for a
    /// merge of megabytes. With automerge off, writes only add segments, and <see cref="SearchIndexMerger"/> merges
    /// them in small steps between writes. A crisis merge inside a write is left as the safety net for a level that
    /// still piles up (the merger stopped or far behind); FTS5 refuses more than 2,000 segments on a level.
    /// </summary>
    public const string MergeInTheBackground = $"""
        INSERT INTO "{Table}" ("{Table}", rank) VALUES ('automerge', 0);
        INSERT INTO "{Table}" ("{Table}", rank) VALUES ('crisismerge', 64);
        """;

    public const string MergeInsideWrites = $"""
        INSERT INTO "{Table}" ("{Table}", rank) VALUES ('automerge', 4);
        INSERT INTO "{Table}" ("{Table}", rank) VALUES ('crisismerge', 16);
        """;

    /// <summary>
    /// One step of merging: at most <paramref name="pages"/> pages written, and only where a level holds at least four
    /// segments (FTS5's 'usermerge'). Changes fewer than two rows when there was nothing to merge.
    /// </summary>
    public static string MergeStep(int pages) => $"""INSERT INTO "{Table}" ("{Table}", rank) VALUES ('merge', {pages});""";
}
