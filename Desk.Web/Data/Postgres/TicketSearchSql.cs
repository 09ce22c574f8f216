using System.Runtime.CompilerServices;
using System.Text;
using Desk.Domain.Search;

namespace Desk.Web.Data.Postgres;

/// <summary>
/// Full-text search over tickets on PostgreSQL: one row per ticket in <see cref="Table"/> holding a <c>tsvector</c> of its
/// subject, its customer's name and address and every message of its conversation, under a GIN index. Triggers rewrite
/// the row whenever a message is added, changed or removed, the subject or customer changes, or the customer's name or
/// address changes, in the same transaction as the change, whoever writes it — as SQLite's triggers do for its FTS5 index.
/// As there, a ticket without messages is indexed with its description, and a new ticket's first message (its
/// description's text) changes nothing that the ticket's own insert did not write already.
/// <para>
/// Words are what SQLite's index takes as words (see <see cref="SearchText"/>): runs of letters and digits, so
/// <c>mei@example.com</c>, <c>SO-00000011</c>, <c>e-mail</c> and <c>12.5</c> are found by their parts. PostgreSQL's
/// parser alone keeps an address, a URL or a decimal as one token and reads <c>-00000011</c> as a signed number, so
/// <see cref="Function"/> first turns punctuation into spaces. Chinese, Japanese and Korean are written without spaces:
/// each run of those characters is indexed as its overlapping pairs plus its first and last character alone
/// (我要退款 → 我 我要 要退 退款 款). A search for 退款 is then one word of the index, not a phrase of two characters
/// that GIN cannot check without reading every candidate's row: 订单 发货 at a million tickets takes under a
/// millisecond instead of a third of a second.
/// </para>
/// <para>
/// Case and accents are folded by the text search configuration <see cref="Configuration"/> (<c>unaccent</c>, then the
/// <c>simple</c> dictionary's lower case, no stop words), word by word, on both sides: documents go through
/// <c>to_tsvector(Configuration, …)</c> and searches through <c>to_tsquery(Configuration, …)</c>, so a typed word is cut
/// and folded by the very parser and dictionaries that cut and folded the documents, whatever the server's locale and
/// unaccent rules (Café finds cafe, Łódź finds Lodz, and the other way round). <see cref="ToTsQuery"/> only picks the
/// words and quotes them; it folds nothing itself, so it cannot fold differently.
/// </para>
/// </summary>
public static class TicketSearchSql
{
    public const string Table = "TicketSearch";

    /// <summary>The SQL function that prepares text for the parser: punctuation to spaces, CJK runs to pairs.</summary>
    public const string Function = "desk_search_text";

    /// <summary>The text search configuration of documents and queries: the default parser, unaccent, then simple.</summary>
    public const string Configuration = "desk_search";

    public const string DocumentIndex = "IX_TicketSearch_Document";

    /// <summary>
    /// Characters the index reads as Chinese, Japanese or Korean, as a regular-expression bracket: the ranges of
    /// <see cref="SearchText.IsCjk"/> less the punctuation in them (。、「」【】…). It holds every character
    /// <see cref="SearchText.IsCjk"/> accepts, so a run the query sees is a run the index saw; the few symbols in these
    /// ranges that are no letters (radicals, Hangzhou numerals) are indexed too and never searched for.
    /// </summary>
    private const string CjkClass = @"[\u2E80-\u2FFF\u3005-\u3007\u3021-\u302F\u3031-\u303C\u303E-\u9FFF\uAC00-\uD7AF\uF900-\uFAFF]";

    /// <summary>
    /// Punctuation the index turns into spaces: all of ASCII's and Latin-1's, the general punctuation block (dashes,
    /// curly quotes, …), CJK and full-width punctuation. None of it is a letter or digit to .NET, so no word
    /// <see cref="ToTsQuery"/> sends contains any. Listed rather than <c>[[:punct:]]</c>, which follows the database's
    /// LC_CTYPE: under C it knows no punctuation past ASCII, and the parser (which then takes every other character
    /// for a letter) would glue 。 or ） to the word before it.
    /// </summary>
    private const string PunctuationClass =
        @"[\u0021-\u002F\u003A-\u0040\u005B-\u0060\u007B-\u007E\u00A1-\u00A9\u00AB-\u00B4\u00B6-\u00B9\u00BB-\u00BF\u00D7\u00F7"
        + @"\u2000-\u206F\u3000-\u3004\u3008-\u3020\u3030\u303D\uFE10-\uFE1F\uFE30-\uFE6F\uFF01-\uFF0F\uFF1A-\uFF20\uFF3B-\uFF40\uFF5B-\uFF65]";

    /// <summary>
    /// Texts up to this many bytes are indexed whole without further ado: even made of nothing but distinct words or
    /// distinct pairs of Chinese characters they stay far under the 1 MB a <c>tsvector</c> may hold.
    /// </summary>
    public const int PlainDocumentBytes = 90_000;

    /// <summary>
    /// A longer text whose words do not fit in a <c>tsvector</c> ("string is too long for tsvector") is indexed by its
    /// first this many characters instead of failing the write that changed it, and every later write to the ticket.
    /// Ordinary long conversations fit whole: it takes about a megabyte of distinct words, an encoded blob say, to overflow.
    /// </summary>
    public const int OverflowDocumentChars = 50_000;

    /// <summary>The GIN index, as both <see cref="CreateAll"/> and <see cref="Rebuild"/> make it.</summary>
    private const string CreateDocumentIndex = $"""
        CREATE INDEX "{DocumentIndex}" ON "{Table}" USING gin ("Document") WITH (fastupdate = off);
        """;

    /// <summary>
    /// Everything the search needs, for a migration to run once: the unaccent extension (shipped with PostgreSQL and
    /// trusted, so the desk's own role may create it), the configuration, the functions, the table, its index and the
    /// triggers. The index starts empty: run <see cref="Rebuild"/> after it where tickets exist already.
    /// <list type="bullet">
    /// <item>GIN with fastupdate off: each write puts its words straight into the index (a note, its ticket's document
    /// rewritten, commits in 1–2 ms instead of 0.15 ms without the triggers), rather than into a pending list that every
    /// search must read through and that some unlucky write must merge, seconds at a time.</item>
    /// <item>The newest 50 matches of a common word come from walking the table's primary key backwards and testing each
    /// document, fifty matches within the first few hundred rows (0.2 ms for a word in half the tickets); a rare word's
    /// from the GIN index and a sort of its few matches. PostgreSQL's planner picks between the two from the word's
    /// frequency in the column's statistics, so they are kept with ten times the default detail (statistics target
    /// 1000): with the default, a word missing from the list of common ones was taken to be in half a percent of tickets,
    /// and a customer's name found in 74 tickets walked all million rows (200 ms) instead of reading its 74 (0.5 ms).</item>
    /// <item>What the planner cannot see is how words go together; it expects them together as often as chance would
    /// have it. Words each common but rarely together (an English and a Chinese word in one search) make it walk
    /// backwards through every row: about 0.4 s of one core at a million tickets. Words nearly always together
    /// (espresso machine refund) make it read and sort all their GIN matches: 60 ms for 10,000. A GIN index cannot
    /// hand out its matches newest first; RUM can, but only to an ORDER BY on its own distance operator, not to the
    /// queue's ORDER BY on the id, and it is an extension PostgreSQL does not ship.</item>
    /// </list>
    /// </summary>
    public static string CreateAll() => $$"""
        CREATE EXTENSION IF NOT EXISTS unaccent;

        CREATE TEXT SEARCH CONFIGURATION {{Configuration}} (COPY = pg_catalog.simple);
        ALTER TEXT SEARCH CONFIGURATION {{Configuration}} ALTER MAPPING FOR
            asciiword, word, numword, asciihword, hword, numhword, hword_asciipart, hword_part, hword_numpart,
            email, url, host, url_path, file, sfloat, float, int, uint, version
            WITH unaccent, pg_catalog.simple;

        CREATE FUNCTION {{Function}}(text) RETURNS text
        LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $fn$
            SELECT regexp_replace(
                regexp_replace($1, '({{CjkClass}}+)|{{PunctuationClass}}', ' \1 ', 'g'),
                '({{CjkClass}})', '\1 \1', 'g')
        $fn$;

        CREATE FUNCTION desk_search_overflowing_document(t text) RETURNS tsvector
        LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL RESTRICTED AS $fn$
        BEGIN
            RETURN to_tsvector('{{Configuration}}', {{Function}}(t));
        EXCEPTION WHEN program_limit_exceeded THEN
            RETURN to_tsvector('{{Configuration}}', {{Function}}(left(t, {{OverflowDocumentChars}})));
        END
        $fn$;

        CREATE FUNCTION desk_search_document(subject text, name text, email text, bodies text) RETURNS tsvector
        LANGUAGE sql IMMUTABLE PARALLEL RESTRICTED AS $fn$
            SELECT CASE WHEN octet_length(t) <= {{PlainDocumentBytes}} THEN to_tsvector('{{Configuration}}', {{Function}}(t))
                        ELSE desk_search_overflowing_document(t) END
            FROM concat_ws(' ', subject, name, email, bodies) AS t
        $fn$;

        CREATE TABLE "{{Table}}" (
            "TicketId" bigint NOT NULL CONSTRAINT "PK_{{Table}}" PRIMARY KEY,
            "Document" tsvector NOT NULL
        );
        ALTER TABLE "{{Table}}" ALTER COLUMN "Document" SET STATISTICS 1000;
        {{CreateDocumentIndex}}

        {{CreateTriggers()}}
        """;

    /// <summary>
    /// Writes the documents of the tickets <c>ids</c> (those that still exist) from what is committed now. It first locks
    /// the tickets' index rows, in id order, and only then reads the messages: two transactions adding a message to one
    /// ticket at once would otherwise each write a document without the other's message, and the later commit would win
    /// (seen: of two concurrent notes, the first one's words were lost). Once the lock is had, READ COMMITTED's next
    /// statement sees the other's message. SQLite, with one writer at a time, needs none of this.
    /// </summary>
    private const string Rewrite = $$"""
        CREATE FUNCTION desk_search_rewrite(ids bigint[]) RETURNS void LANGUAGE plpgsql AS $fn$
        BEGIN
            PERFORM 1 FROM "{{Table}}" WHERE "TicketId" = ANY (ids) ORDER BY "TicketId" FOR UPDATE;
            INSERT INTO "{{Table}}" ("TicketId", "Document")
            SELECT t."Id", desk_search_document(t."Subject", c."Name", c."Email",
                COALESCE((SELECT string_agg(e."Body", ' ' ORDER BY e."Id") FROM "ConversationEntries" AS e WHERE e."TicketId" = t."Id"), t."Description"))
            FROM "Tickets" AS t JOIN "Customers" AS c ON c."Id" = t."CustomerId"
            WHERE t."Id" = ANY (ids)
            ON CONFLICT ("TicketId") DO UPDATE SET "Document" = excluded."Document";
        END
        $fn$;
        """;

    private static string TriggerFunction(string name, string body) => $$"""
        CREATE FUNCTION {{name}}() RETURNS trigger LANGUAGE plpgsql AS $fn$
        BEGIN
            {{body}}
            RETURN NULL;
        END
        $fn$;
        """;

    /// <summary>
    /// The triggers (the same seven as SQLite's) and their functions; part of <see cref="CreateAll"/>, and on their own for
    /// a bulk load that drops them (<see cref="DropTriggers"/>), loads, runs <see cref="Rebuild"/> and puts them back.
    /// Inserts and deletes are statement triggers reading the statement's rows (transition tables): a bulk insert or
    /// delete rewrites each ticket it touched once, in one statement, rather than once per message. Updates are row
    /// triggers that fire only when a column the document reads really changed: PostgreSQL allows no column list on a
    /// trigger with transition tables, and every workflow step updates Tickets.
    /// </summary>
    public static string CreateTriggers() => $"""
        {Rewrite}
        {TriggerFunction("desk_search_messages_inserted", """
            PERFORM desk_search_rewrite(ARRAY(SELECT DISTINCT n."TicketId" FROM new_rows AS n
                WHERE n."Body" IS DISTINCT FROM (SELECT t."Description" FROM "Tickets" AS t WHERE t."Id" = n."TicketId")
                    OR EXISTS (SELECT 1 FROM "ConversationEntries" AS e WHERE e."TicketId" = n."TicketId" AND e."Id" <> n."Id")));
            """)}
        {TriggerFunction("desk_search_message_updated", """PERFORM desk_search_rewrite(ARRAY[OLD."TicketId", NEW."TicketId"]);""")}
        {TriggerFunction("desk_search_messages_deleted", """PERFORM desk_search_rewrite(ARRAY(SELECT DISTINCT "TicketId" FROM old_rows));""")}
        {TriggerFunction("desk_search_tickets_inserted", """PERFORM desk_search_rewrite(ARRAY(SELECT "Id" FROM new_rows));""")}
        {TriggerFunction("desk_search_ticket_updated", """PERFORM desk_search_rewrite(ARRAY[NEW."Id"]);""")}
        {TriggerFunction("desk_search_tickets_deleted", $"""DELETE FROM "{Table}" WHERE "TicketId" IN (SELECT "Id" FROM old_rows);""")}
        {TriggerFunction("desk_search_customer_updated", """PERFORM desk_search_rewrite(ARRAY(SELECT "Id" FROM "Tickets" WHERE "CustomerId" = NEW."Id"));""")}
        CREATE TRIGGER "TicketSearch_Message_Insert" AFTER INSERT ON "ConversationEntries"
            REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION desk_search_messages_inserted();
        CREATE TRIGGER "TicketSearch_Message_Update" AFTER UPDATE OF "Body", "TicketId" ON "ConversationEntries"
            FOR EACH ROW WHEN (OLD."Body" IS DISTINCT FROM NEW."Body" OR OLD."TicketId" IS DISTINCT FROM NEW."TicketId")
            EXECUTE FUNCTION desk_search_message_updated();
        CREATE TRIGGER "TicketSearch_Message_Delete" AFTER DELETE ON "ConversationEntries"
            REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION desk_search_messages_deleted();
        CREATE TRIGGER "TicketSearch_Ticket_Insert" AFTER INSERT ON "Tickets"
            REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION desk_search_tickets_inserted();
        CREATE TRIGGER "TicketSearch_Ticket_Update" AFTER UPDATE OF "Subject", "CustomerId", "Description" ON "Tickets"
            FOR EACH ROW WHEN (OLD."Subject" IS DISTINCT FROM NEW."Subject" OR OLD."CustomerId" IS DISTINCT FROM NEW."CustomerId"
                OR OLD."Description" IS DISTINCT FROM NEW."Description")
            EXECUTE FUNCTION desk_search_ticket_updated();
        CREATE TRIGGER "TicketSearch_Ticket_Delete" AFTER DELETE ON "Tickets"
            REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION desk_search_tickets_deleted();
        CREATE TRIGGER "TicketSearch_Customer_Update" AFTER UPDATE OF "Name", "Email" ON "Customers"
            FOR EACH ROW WHEN (OLD."Name" IS DISTINCT FROM NEW."Name" OR OLD."Email" IS DISTINCT FROM NEW."Email")
            EXECUTE FUNCTION desk_search_customer_updated();
        """;

    /// <summary>
    /// The documents of the tickets without messages written again: what a desk indexed before the description stood
    /// in for missing messages (<c>SearchSingleWrite</c> migration).
    /// </summary>
    public const string IndexTicketsWithoutMessages = """
        SELECT desk_search_rewrite(ARRAY(SELECT t."Id" FROM "Tickets" AS t
            WHERE NOT EXISTS (SELECT 1 FROM "ConversationEntries" AS m WHERE m."TicketId" = t."Id")));
        """;

    public const string DropTriggers = """
        DROP TRIGGER IF EXISTS "TicketSearch_Message_Insert" ON "ConversationEntries";
        DROP TRIGGER IF EXISTS "TicketSearch_Message_Update" ON "ConversationEntries";
        DROP TRIGGER IF EXISTS "TicketSearch_Message_Delete" ON "ConversationEntries";
        DROP TRIGGER IF EXISTS "TicketSearch_Ticket_Insert" ON "Tickets";
        DROP TRIGGER IF EXISTS "TicketSearch_Ticket_Update" ON "Tickets";
        DROP TRIGGER IF EXISTS "TicketSearch_Ticket_Delete" ON "Tickets";
        DROP TRIGGER IF EXISTS "TicketSearch_Customer_Update" ON "Customers";
        DROP FUNCTION IF EXISTS desk_search_messages_inserted();
        DROP FUNCTION IF EXISTS desk_search_message_updated();
        DROP FUNCTION IF EXISTS desk_search_messages_deleted();
        DROP FUNCTION IF EXISTS desk_search_tickets_inserted();
        DROP FUNCTION IF EXISTS desk_search_ticket_updated();
        DROP FUNCTION IF EXISTS desk_search_tickets_deleted();
        DROP FUNCTION IF EXISTS desk_search_customer_updated();
        DROP FUNCTION IF EXISTS desk_search_rewrite(bigint[]);
        """;

    /// <summary>Removes everything <see cref="CreateAll"/> made except the unaccent extension, which other things may use.</summary>
    public const string DropAll = DropTriggers + $"""

        DROP TABLE IF EXISTS "{Table}";
        DROP FUNCTION IF EXISTS desk_search_document(text, text, text, text);
        DROP FUNCTION IF EXISTS desk_search_overflowing_document(text);
        DROP FUNCTION IF EXISTS {Function}(text);
        DROP TEXT SEARCH CONFIGURATION IF EXISTS {Configuration};
        """;

    /// <summary>
    /// Indexes every ticket again from scratch — after the migration and after a bulk load, which runs without the
    /// triggers — writing the very documents the triggers would. One INSERT … SELECT in ticket order into the emptied
    /// table with the GIN index dropped, the index built afterwards in one pass (far quicker than a million insertions
    /// into it), then fresh statistics for the planner. At a million tickets and 2.85 million messages: about 75 s of
    /// one core for the documents, 30–45 s for the index. Holds an exclusive lock on the table until it commits: searches
    /// and writes that touch the index wait meanwhile.
    /// </summary>
    public static string Rebuild() => $"""
        {EmptyForRebuild}
        {Fill("true")}
        {IndexAfterRebuild}
        """;

    /// <summary><see cref="Rebuild"/>'s first step: the index dropped and the table emptied.</summary>
    public static readonly string EmptyForRebuild = $"""
        DROP INDEX IF EXISTS "{DocumentIndex}";
        TRUNCATE "{Table}";
        """;

    /// <summary>
    /// <see cref="Rebuild"/>'s documents for the tickets with ids from @from to @to: a bulk load that has the machine to
    /// itself runs ranges on connections of their own at once, one per core (the documents are most of the work).
    /// </summary>
    public static readonly string FillRange = Fill("t.\"Id\" BETWEEN @from AND @to", "\"TicketId\" BETWEEN @from AND @to");

    /// <summary><see cref="Rebuild"/>'s last step: the index built in one pass, and statistics.</summary>
    public static readonly string IndexAfterRebuild = $"""
        {CreateDocumentIndex}
        ANALYZE "{Table}";
        """;

    private static string Fill(string tickets, string entries = "true") => $$"""
        INSERT INTO "{{Table}}" ("TicketId", "Document")
        SELECT t."Id", desk_search_document(t."Subject", c."Name", c."Email", COALESCE(e.bodies, t."Description"))
        FROM "Tickets" AS t
        JOIN "Customers" AS c ON c."Id" = t."CustomerId"
        LEFT JOIN (SELECT "TicketId", string_agg("Body", ' ' ORDER BY "Id") AS bodies FROM "ConversationEntries" WHERE {{entries}} GROUP BY "TicketId") AS e
            ON e."TicketId" = t."Id"
        WHERE {{tickets}}
        ORDER BY t."Id";
        """;

    /// <summary>
    /// The ids of the tickets matching a query from <see cref="ToTsQuery"/>, composable (EF Core wraps it and adds joins,
    /// filters, ORDER BY and LIMIT); <c>{0}</c> is the query, always sent as a parameter. With the queue's newest-first
    /// LIMIT the planner chooses per search between walking the primary key backwards and sorting GIN's matches (see
    /// <see cref="CreateAll"/>), so it must plan with the query in hand: Npgsql's unnamed statements always are; a
    /// statement prepared for good keeps custom plans while they cost less than a generic one (plan_cache_mode = auto).
    /// </summary>
    public const string MatchSql = $"""SELECT "TicketId" FROM "{Table}" WHERE "Document" @@ to_tsquery('{Configuration}', {"{0}"})""";

    /// <summary><see cref="MatchSql"/> with <paramref name="tsQuery"/> as its parameter, for <c>FromSql</c>.</summary>
    public static FormattableString Match(string tsQuery) => FormattableStringFactory.Create(MatchSql, tsQuery);

    /// <summary>
    /// A <c>to_tsquery</c> text for what someone typed, meaning what <see cref="SearchText.ToMatchQuery"/> means: every
    /// word must occur (&amp;), in any order, as a whole word; a word ending in * of at least
    /// <see cref="SearchText.MinPrefixLength"/> characters also as the start of a longer one (<c>'kett':*</c>); a run of
    /// CJK characters as that exact sequence — its pairs one after the other (<c>'我要 要退 退款'</c>, which to_tsquery
    /// reads as 我要 &lt;-&gt; 要退 &lt;-&gt; 退款), one pair alone (<c>'退款'</c>), or a lone character as the start of
    /// a pair or the end of a run (<c>'退':*</c>). Words are split where <see cref="SearchText"/> splits them, at anything
    /// not a letter or digit, so none holds a quote, backslash, &amp;, |, !, :, ( or &lt;-&gt;, and each is quoted
    /// besides: typed operators and quotes are text, never syntax. Case and accents are left to to_tsquery, which folds
    /// each word as the documents were folded. Null when nothing searchable is left.
    /// </summary>
    public static string? ToTsQuery(string? typed)
    {
        if (string.IsNullOrWhiteSpace(typed)) return null;
        var input = typed.Length > SearchText.MaxQueryLength ? typed[..SearchText.MaxQueryLength] : typed;
        var terms = new List<string>();
        var word = new StringBuilder();
        var cjk = new StringBuilder();

        void EndWord(bool prefix)
        {
            if (word.Length > 0) terms.Add(prefix && word.Length >= SearchText.MinPrefixLength ? $"{Quote(word.ToString())}:*" : Quote(word.ToString()));
            word.Clear();
        }
        void EndCjk()
        {
            if (cjk.Length == 1) terms.Add($"{Quote(cjk.ToString())}:*");
            else if (cjk.Length > 1) terms.Add(Quote(string.Join(' ', Enumerable.Range(0, cjk.Length - 1).Select(i => cjk.ToString(i, 2)))));
            cjk.Clear();
        }

        foreach (var c in input)
        {
            if (SearchText.IsCjk(c)) { EndWord(prefix: false); cjk.Append(c); }
            else if (char.IsLetterOrDigit(c)) { EndCjk(); word.Append(c); }
            else { EndWord(prefix: c == '*'); EndCjk(); }
        }
        EndWord(prefix: false);
        EndCjk();
        return terms.Count == 0 ? null : string.Join(" & ", terms.Distinct(StringComparer.Ordinal));
    }

    /// <summary>A tsquery operand: quoted, a quote doubled and a backslash escaped (neither occurs in a word; belt and braces).</summary>
    private static string Quote(string word) => $"'{word.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "''", StringComparison.Ordinal)}'";
}
