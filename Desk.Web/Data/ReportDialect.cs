using Desk.Domain;
using Desk.Domain.Customers;

namespace Desk.Web.Data;

/// <summary>
/// The reports' kept outcomes and the loyalty cache, as SQL one database runs: the statements both dialects agree on
/// are written once here (quoted identifiers, <c>@</c> parameters, <c>CASE</c> where SQLite would sum a comparison,
/// explicit <c>ON CONFLICT</c> targets, an alias on every subquery), over the few expressions each provider writes its
/// own way (<c>Sqlite.ReportOutcomesSql</c>, <c>Postgres.ReportOutcomesSql</c>). Features reach it through
/// <see cref="IDeskDatabaseProvider.Reports"/>.
/// <list type="bullet">
/// <item><c>ComplaintOutcomes</c>: one row per complaint (kind Complaint, not rejected) with what every report cuts it by
/// and its anchor (resolution, or receipt while unresolved), the revenue of the repurchase window after it (NULL when
/// nothing was bought), the first order after it, the revenue of the year before receipt and, on the customer's latest
/// complaint, the customer's lifetime value and last order. Nothing in it depends on the clock: a report decides what
/// is pending (anchor + window after now) when it runs.</item>
/// <item><c>BaselineOutcomes</c>: customers with orders and no ticket at all, one row per tenure band they ordered in
/// (their first order in it) and one with band -1 (their first order): the "did not complain" column.</item>
/// <item>Triggers on tickets, customers, surveys, the taxonomy and changed or deleted orders mark the customers whose rows
/// are out of date in <c>OutcomesDirty</c>, in the same transaction as the change, whoever writes it (the desk, an
/// import, the demo load); new orders are found by their ids (<see cref="MarkNewOrders"/>). <c>OutcomesState.WindowMs</c>
/// is the repurchase window the rows were built for; NULL or another window than the admins' means every row is rebuilt.</item>
/// <item>Weekly rollups add up the rows that are settled (whose numbers can no longer change with time alone).</item>
/// </list>
/// <c>Features.Reports.ReportOutcomes</c> brings the rows up to date before a report reads them. Every nullable parameter
/// here is a number (a time, an amount, an id, a score): <c>Features.Reports.ReportSql</c> sends a null one as a NULL bigint.
/// </summary>
public abstract class ReportDialect
{
    /// <summary>The survey's scores, as the three faces report reads them.</summary>
    public static readonly string[] Scores =
        ["OutcomeSatisfaction", "HandlingSatisfaction", "Intention", "Reliability", "Responsiveness", "Assurance", "Empathy", "Tangibles"];

    /// <summary>
    /// What one complaint adds to the three faces report as of <c>at</c> (SQL over kept row <c>f</c>, a number to sum):
    /// nothing before its survey went out; then sent, answered, each score's sum and count, and — once answered —
    /// measured (its window ended by then), pending (not yet) and bought again (measured with an order in the window).
    /// </summary>
    public static readonly (string Name, Func<string, string> Of)[] FacesMeasures =
    [
        ("Sent", at => Count($"f.\"SurveySentAt\" <= {at}")),
        ("Answered", at => Count($"f.\"SurveySentAt\" <= {at} AND f.\"SurveyAnsweredAt\" IS NOT NULL")),
        .. Scores.SelectMany(score => new (string, Func<string, string>)[]
        {
            (score + "Sum", at => $"CASE WHEN f.\"SurveySentAt\" <= {at} THEN f.\"{score}\" END"),
            (score + "N", at => Count($"f.\"SurveySentAt\" <= {at} AND f.\"{score}\" IS NOT NULL")),
        }),
        ("Measured", at => Count($"f.\"SurveySentAt\" <= {at} AND f.\"SurveyAnsweredAt\" IS NOT NULL AND f.\"Anchor\" + @window <= {at}")),
        ("Pending", at => Count($"f.\"SurveySentAt\" <= {at} AND f.\"SurveyAnsweredAt\" IS NOT NULL AND f.\"Anchor\" + @window > {at}")),
        ("Repurchased", at => Count($"f.\"SurveySentAt\" <= {at} AND f.\"SurveyAnsweredAt\" IS NOT NULL AND f.\"Anchor\" + @window <= {at} AND f.\"Revenue\" IS NOT NULL")),
    ];

    /// <summary>1 where <paramref name="condition"/> holds, for SUM: SQLite would sum the comparison itself, PostgreSQL cannot sum a boolean.</summary>
    private static string Count(string condition) => $"CASE WHEN {condition} THEN 1 END";

    /// <summary>
    /// Each measure as of <paramref name="at"/> (minus as of <paramref name="before"/>, when given), summed, in
    /// <see cref="FacesMeasures"/>' order; <paramref name="sign"/> "-" takes them away.
    /// </summary>
    public static string FacesSums(string at, string? before = null, string sign = "") => string.Join(", ", FacesMeasures.Select(m =>
        before is null ? $"{sign}COALESCE(SUM({m.Of(at)}), 0)" : $"{sign}(COALESCE(SUM({m.Of(at)}), 0) - COALESCE(SUM({m.Of(before)}), 0))"));

    /// <summary>
    /// <c>LoyaltyRules.ClassOf</c> over a <c>CustomerLoyalty</c> row (LEFT JOINed: no row, no orders), with the thresholds
    /// the kept rows were built for (<c>OutcomesState</c>); the three faces report holds them to its own.
    /// </summary>
    public static string ClassOf(string l, string highLoyalty = "(SELECT \"HighLoyalty\" FROM \"OutcomesState\")",
        string highSales = "(SELECT \"HighSales\" FROM \"OutcomesState\")") => $"""
        CASE WHEN {l}."CustomerId" IS NULL OR {l}."OrderCount" = 0 THEN 'NoPurchases'
             WHEN {l}."Recency" + {l}."Frequency" >= {highLoyalty}
                  THEN CASE WHEN {l}."Monetary" >= {highSales} THEN 'LoyalHighSales' ELSE 'LoyalLowSales' END
             WHEN {l}."Monetary" >= {highSales} THEN 'NotLoyalHighSales' ELSE 'NotLoyalLowSales' END
        """;

    /// <summary>The week (Monday to Sunday, UTC) of a Unix-ms time, counted from the epoch's week: the SLA report's weeks.</summary>
    public static string Week(string time) => $"({time} / 86400000 + 3) / 7";

    /// <summary>Where week <paramref name="week"/> starts, in Unix ms (the inverse of <see cref="Week"/> for times after 1970).</summary>
    public static long WeekStart(long week) => (week * 7 - 3) * 86_400_000L;

    // ---- What each provider writes its own way ----

    /// <summary>The month ("2026-05", UTC) of a Unix-ms time.</summary>
    public abstract string Month(string unixMilliseconds);

    /// <summary>The larger of two numbers that are never NULL.</summary>
    public abstract string Greatest(string a, string b);

    /// <summary>The smaller of two numbers that are never NULL.</summary>
    public abstract string Least(string a, string b);

    /// <summary>A temporary table of this connection, by name (<c>CREATE TEMP TABLE "name"</c> makes it on both).</summary>
    public abstract string Temp(string table);

    /// <summary>Indexes a temporary table on one column (and gives the planner what it needs to use it).</summary>
    public abstract string IndexTemp(string table, string column);

    /// <summary>
    /// A statement that makes this transaction the only one doing <paramref name="work"/> until it ends, across
    /// processes; null where the database has one writer at a time anyway (SQLite, behind its write gate).
    /// </summary>
    public abstract string? Exclusive(string work);

    /// <summary>
    /// Takes the marked customers up to <c>@upto</c> (all when NULL) off <c>OutcomesDirty</c> and returns their ids, for
    /// <see cref="Refresh"/> as <c>@marked</c>; null where <see cref="Refresh"/> reads the marks itself and clears them
    /// at its end (SQLite: no one else writes meanwhile).
    /// </summary>
    public abstract string? ClaimMarked { get; }

    /// <summary>The customers <see cref="Refresh"/> rewrites, as a parenthesised subquery of one column.</summary>
    protected abstract string Marked { get; }

    /// <summary>What <see cref="Refresh"/> does with the marks at its end (nothing where they were claimed).</summary>
    protected abstract string ClearMarked { get; }

    /// <summary>
    /// Each of the <paramref name="marked"/> silent customers' first order per tenure band (<paramref name="band"/>
    /// gives the band of order <c>o</c> of customer <c>cu</c>) and their first order of all (band -1), with its amount
    /// and the customer's level, into <c>BaselineOutcomes</c> with the revenue of the window after it.
    /// </summary>
    protected abstract string InsertBaseline(string marked, string band);

    // ---- Written once ----

    /// <summary>The three faces rollup's key over kept row <c>f</c>: class, cause (-1 for none), month sent, level, band, week received.</summary>
    public string FacesKey => field ??=
        $"f.\"LoyaltyClass\", COALESCE(f.\"RootTop\", -1), {Month("f.\"SurveySentAt\"")}, f.\"Level\", f.\"Band\", {Week("f.\"ReceivedAt\"")}";

    /// <summary>Marks the customers whose ids <paramref name="select"/> returns (a SELECT with a WHERE: SQLite needs one before ON CONFLICT).</summary>
    public static string MarkCustomers(string select) => $"""
        INSERT INTO "OutcomesDirty" ("CustomerId") {select}
        ON CONFLICT ("CustomerId") DO NOTHING;
        """;

    /// <summary>
    /// Whether anything is out of date for a window of @window ms: a cheap read, done before taking the write gate. New
    /// orders are seen as a highest id past the one recorded (an index's last entry on both providers; PostgreSQL read
    /// <c>EXISTS (… "Id" > (SELECT …))</c> by walking every order).
    /// </summary>
    public const string NeedsRefresh = """
        SELECT EXISTS (SELECT 1 FROM "OutcomesDirty") OR COALESCE((SELECT MAX("Id") FROM "Orders"), 0) > (SELECT "LastOrderId" FROM "OutcomesState")
            OR (SELECT "WindowMs" IS DISTINCT FROM @window OR "MajorCents" IS DISTINCT FROM @major
                    OR (@highLoyalty IS NOT NULL AND ("HighLoyalty" IS DISTINCT FROM @highLoyalty OR "HighSales" IS DISTINCT FROM @highSales))
                    OR "Cutoff" IS NULL OR "Cutoff" < @now OR "MarkFrom" IS NOT NULL FROM "OutcomesState")
        """;

    /// <summary><see cref="NeedsRefresh"/> and the rollups' cutoff, in one read.</summary>
    public const string NeedsRefreshAndCutoff = $"""
        {NeedsRefresh}, (SELECT "Cutoff" FROM "OutcomesState")
        """;

    public const string NeedsRebuild = """
        SELECT "WindowMs" IS DISTINCT FROM @window OR "MajorCents" IS DISTINCT FROM @major
            OR (@highLoyalty IS NOT NULL AND ("HighLoyalty" IS DISTINCT FROM @highLoyalty OR "HighSales" IS DISTINCT FROM @highSales))
        FROM "OutcomesState"
        """;

    /// <summary>The rollups' cutoff: rows settled by then are in the rollups (NULL: none yet).</summary>
    public const string Cutoff = """SELECT "Cutoff" FROM "OutcomesState" """;

    /// <summary>Whether any customer is marked, or a rebuild has customers still to mark (<see cref="MarkNext"/>).</summary>
    public const string AnyMarked = """SELECT EXISTS (SELECT 1 FROM "OutcomesDirty") OR (SELECT "MarkFrom" IS NOT NULL FROM "OutcomesState")""";

    /// <summary>
    /// How many customers are marked up to @upto (all when NULL). Every statement on the marks bounds them this way, a
    /// range both databases seek: "@upto IS NULL OR … &lt;= @upto" read every mark instead (30 ms a statement with a
    /// million marked, five statements a slice: a full rebuild crawled at 50 customers a second).
    /// </summary>
    public const string CountMarked = """SELECT COUNT(*) FROM "OutcomesDirty" WHERE "CustomerId" <= COALESCE(CAST(@upto AS BIGINT), 9223372036854775807)""";

    /// <summary>How many customers wait: all of them when the rows were built for other settings, else the marked ones and those with new orders.</summary>
    public const string Backlog = $"""
        SELECT CASE WHEN ({NeedsRebuild}) THEN (SELECT COUNT(*) FROM "Customers")
                    ELSE (SELECT COUNT(*) FROM "OutcomesDirty")
                         + (SELECT COUNT(DISTINCT "CustomerId") FROM "Orders" WHERE "Id" > (SELECT "LastOrderId" FROM "OutcomesState"))
                         + (SELECT COUNT(*) FROM "Customers" WHERE "Id" > COALESCE((SELECT "MarkFrom" FROM "OutcomesState"), 9223372036854775807)) END
        """;

    /// <summary>
    /// When the rows were built for another window (or never): the rollups are emptied, the window is recorded, and every
    /// customer is to be rebuilt — marked a slice at a time by <see cref="MarkNext"/> from <c>OutcomesState.MarkFrom</c>,
    /// each customer's old rows replaced when <see cref="Refresh"/> rewrites them, with no cutoff (nothing is taken off
    /// the emptied rollups, and the first advance after the last customer fills them). Emptying the rows and marking a
    /// million customers in this one write took 3–8 s at a million tickets, and every agent's write waited for it.
    /// Parameters @window, @major (cents), @newest.
    /// </summary>
    public static readonly string StartRebuild = """
        DELETE FROM "MatrixRollup";
        DELETE FROM "PendingRollup";
        DELETE FROM "FacesRollup";
        DELETE FROM "SlaRollup";
        DELETE FROM "BaselineRollup";
        DELETE FROM "TrendRollup";
        UPDATE "OutcomesState" SET "WindowMs" = @window, "MajorCents" = @major, "Cutoff" = NULL, "MarkFrom" = 0,
            "LastOrderId" = @newest,
            "HighLoyalty" = COALESCE(@highLoyalty, "HighLoyalty", @defaultHighLoyalty), "HighSales" = COALESCE(@highSales, "HighSales", @defaultHighSales);
        """;

    /// <summary>
    /// Where a rebuild's marking has got to (customers with higher ids are still to be marked; NULL: none are) and the
    /// rollups' cutoff (<see cref="Cutoff"/>), in one read of the state.
    /// </summary>
    public const string MarkFromAndCutoff = """SELECT "MarkFrom", "Cutoff" FROM "OutcomesState" """;

    /// <summary>The id that ends the next @batch customers a rebuild is to mark after @markFrom (NULL: fewer are left, mark them all).</summary>
    public const string MarkEnd = """
        SELECT "Id" FROM "Customers" WHERE "Id" > @markFrom ORDER BY "Id" LIMIT 1 OFFSET @batch - 1
        """;

    /// <summary>Marks a rebuild's next customers, those after @markFrom up to @markTo (NULL: all the rest), and records how far it got.</summary>
    public static readonly string MarkNext = $"""
        {MarkCustomers("""SELECT "Id" FROM "Customers" WHERE "Id" > @markFrom AND "Id" <= COALESCE(CAST(@markTo AS BIGINT), 9223372036854775807)""")}
        UPDATE "OutcomesState" SET "MarkFrom" = @markTo;
        """;

    /// <summary>
    /// New orders are found by id rather than by a trigger (orders only ever get higher ids): a trigger per row made
    /// an import of a million orders 30 % slower. Their customers are marked, up to @newest (<see cref="NewestOrder"/>,
    /// read before), which is recorded. Orders committed after that read have higher ids: writers of orders take turns
    /// (<see cref="Exclusive"/> "Orders" on PostgreSQL, the write gate on SQLite), so none commits an id below one
    /// already committed, and reading the highest id in a statement of its own keeps a later commit from moving the
    /// mark past orders this one did not see.
    /// </summary>
    public static readonly string MarkNewOrders = $"""
        {MarkCustomers("""SELECT DISTINCT "CustomerId" FROM "Orders" WHERE "Id" > (SELECT "LastOrderId" FROM "OutcomesState") AND "Id" <= @newest""")}
        UPDATE "OutcomesState" SET "LastOrderId" = @newest;
        """;

    /// <summary>The highest order id committed (0: none); see <see cref="MarkNewOrders"/>.</summary>
    public const string NewestOrder = """SELECT COALESCE(MAX("Id"), 0) FROM "Orders" """;

    /// <summary>The customer id that ends a batch of @batch marked customers (NULL: fewer are marked, take them all).</summary>
    public const string BatchEnd = """
        SELECT "CustomerId" FROM "OutcomesDirty" ORDER BY "CustomerId" LIMIT 1 OFFSET @batch - 1
        """;

    /// <summary>
    /// After a build: statistics of the tables as they are now, so the planner picks the indexes (the demo load's
    /// statistics saw them empty).
    /// </summary>
    public const string Analyze = """
        ANALYZE "ComplaintOutcomes"; ANALYZE "BaselineOutcomes"; ANALYZE "MatrixRollup"; ANALYZE "PendingRollup"; ANALYZE "FacesRollup"; ANALYZE "SlaRollup"; ANALYZE "BaselineRollup"; ANALYZE "TrendRollup";
        """;

    /// <summary>
    /// Partial indexes of the rollups' emptied rows (every count back at 0), which each refresh deletes: without them
    /// every one of those deletes read its whole rollup, about 20 ms of each refresh at a million tickets however few
    /// customers it rewrote, all of it behind SQLite's write gate where agents' notes wait. The same on both databases.
    /// </summary>
    public const string EmptyRollupRowIndexes = """
        CREATE INDEX "IX_MatrixRollup_Empty" ON "MatrixRollup" ("N") WHERE "N" = 0;
        CREATE INDEX "IX_PendingRollup_Empty" ON "PendingRollup" ("N") WHERE "N" = 0;
        CREATE INDEX "IX_FacesRollup_Empty" ON "FacesRollup" ("Sent") WHERE "Sent" = 0;
        CREATE INDEX "IX_SlaRollup_Empty" ON "SlaRollup" ("Tickets") WHERE "Tickets" = 0;
        CREATE INDEX "IX_BaselineRollup_Empty" ON "BaselineRollup" ("N") WHERE "N" = 0;
        CREATE INDEX "IX_TrendRollup_Empty" ON "TrendRollup" ("Complaints", "Tickets") WHERE "Complaints" = 0 AND "Tickets" = 0;
        """;

    /// <summary>
    /// Rewrites the rows of the marked customers (<see cref="Marked"/>) and clears their marks; parameters @window and
    /// @year (ms), @cutoff, @major. The definitions are the recovery matrix's (see
    /// <c>Features.Reports.RecoveryMatrixQuery</c>): anchor, late, repeat, the order at the anchor's very moment not
    /// counted as a return.
    /// </summary>
    public string Refresh => field ??= RefreshSql();

    /// <summary>
    /// An amount in cents as the reports count it: at most <see cref="Money.MaxCents"/>. The desk refuses more at every
    /// edge; this keeps an amount stored before that rule from overflowing a report's sum (SQLite's SUM of integers
    /// fails, and PostgreSQL's numeric sum cannot go back into a 64-bit rollup column).
    /// </summary>
    private static string Capped(string cents) => $"CASE WHEN {cents} > {Money.MaxCents} THEN {Money.MaxCents} ELSE {cents} END";

    private string RefreshSql()
    {
        var marked = Marked;
        var (_, established) = Tenure.Range(TenureBand.New);
        var (_, longStanding) = Tenure.Range(TenureBand.Established);
        string Band(string time, string firstSeen) => $"""
            CASE WHEN {time} - {firstSeen} < {(long)established!.Value.TotalMilliseconds} THEN 0
                 WHEN {time} - {firstSeen} < {(long)longStanding!.Value.TotalMilliseconds} THEN 1 ELSE 2 END
            """;
        return $"""
            {Rollups(marked, "-", "@cutoff")}
            DELETE FROM "ComplaintOutcomes" WHERE "CustomerId" IN {marked};
            DELETE FROM "BaselineOutcomes" WHERE "CustomerId" IN {marked};
            INSERT INTO "ComplaintOutcomes" ("TicketId", "CustomerId", "ReceivedAt", "Severity", "IsRepeat", "Cell", "Sought", "Given", "RemedyCost",
                "RootCauseId", "RootTop", "Channel", "Product", "Agent", "FirstRespondedAt", "FirstResponseDueAt", "ResolvedAt", "ResolutionDueAt",
                "Level", "Tenure", "Band", "SlaSettledAt", "Anchor", "IsLatest", "LoyaltyClass", "SurveySentAt", "SurveyAnsweredAt", {string.Join(", ", Scores.Select(x => $"\"{x}\""))},
                "Revenue", "NextOrderAt", "RevenueYearBefore", "CustomerValue", "LastOrderAt")
            SELECT c.*,
                   (SELECT SUM({Capped("o.\"Amount\"")}) FROM "Orders" AS o WHERE o."CustomerId" = c."CustomerId" AND o."PlacedAt" > c."Anchor" AND o."PlacedAt" <= c."Anchor" + @window),
                   (SELECT MIN(o."PlacedAt") FROM "Orders" AS o WHERE o."CustomerId" = c."CustomerId" AND o."PlacedAt" > c."Anchor"),
                   (SELECT COALESCE(SUM({Capped("o.\"Amount\"")}), 0) FROM "Orders" AS o WHERE o."CustomerId" = c."CustomerId" AND o."PlacedAt" > c."ReceivedAt" - @year AND o."PlacedAt" <= c."ReceivedAt"),
                   CASE WHEN c."IsLatest" = 1 THEN (SELECT COALESCE(SUM({Capped("o.\"Amount\"")}), 0) FROM "Orders" AS o WHERE o."CustomerId" = c."CustomerId") END,
                   CASE WHEN c."IsLatest" = 1 THEN (SELECT MAX(o."PlacedAt") FROM "Orders" AS o WHERE o."CustomerId" = c."CustomerId") END
            FROM (
                SELECT t."Id", t."CustomerId", t."ReceivedAt", CASE WHEN t."Severity" = 'Major' THEN 1 ELSE 0 END, CASE WHEN t."IsRepeatComplaint" THEN 1 ELSE 0 END,
                       CASE WHEN t."State" NOT IN ('Resolved', 'FollowUp', 'Closed') THEN 0 WHEN t."ResolvedAt" <= t."ResolutionDueAt" THEN 2 ELSE 1 END,
                       t."RemedySoughtId", t."RemedyGivenId", {Capped("COALESCE(t.\"RemedyCost\", 0)")},
                       t."RootCauseId", (SELECT COALESCE(rc."ParentId", rc."Id") FROM "RootCauses" AS rc WHERE rc."Id" = t."RootCauseId"),
                       t."Channel", t."Product", COALESCE(t."AssignedTo", ''), t."FirstRespondedAt", t."FirstResponseDueAt",
                       CASE WHEN t."State" IN ('Resolved', 'FollowUp', 'Closed') THEN t."ResolvedAt" END, t."ResolutionDueAt",
                       cu."Level", t."ReceivedAt" - cu."FirstSeenAt", {Band("t.\"ReceivedAt\"", "cu.\"FirstSeenAt\"")},
                       {Greatest("CASE WHEN t.\"FirstRespondedAt\" IS NULL THEN t.\"FirstResponseDueAt\" + 1 ELSE 0 END",
                           "CASE WHEN t.\"State\" IN ('Resolved', 'FollowUp', 'Closed') THEN 0 ELSE t.\"ResolutionDueAt\" + 1 END")},
                       CASE WHEN t."State" IN ('Resolved', 'FollowUp', 'Closed') THEN t."ResolvedAt" ELSE t."ReceivedAt" END AS "Anchor",
                       CASE WHEN ROW_NUMBER() OVER (PARTITION BY t."CustomerId" ORDER BY t."ReceivedAt" DESC, t."Id" DESC) = 1 THEN 1 ELSE 0 END AS "IsLatest",
                       {ClassOf("l")}, sv."SentAt", sv."AnsweredAt", {string.Join(", ", Scores.Select(x => $"sv.\"{x}\""))}
                FROM "Tickets" AS t JOIN "Customers" AS cu ON cu."Id" = t."CustomerId"
                LEFT JOIN "CustomerLoyalty" AS l ON l."CustomerId" = t."CustomerId"
                LEFT JOIN "Surveys" AS sv ON sv."TicketId" = t."Id"
                WHERE t."Kind" = 'Complaint' AND t."State" <> 'Rejected' AND t."CustomerId" IN {marked}) AS c;
            {InsertBaseline(marked, Band("o.\"PlacedAt\"", "cu.\"FirstSeenAt\""))}
            {Rollups(marked, "", "@cutoff")}
            DELETE FROM "MatrixRollup" WHERE "N" = 0;
            DELETE FROM "PendingRollup" WHERE "N" = 0;
            DELETE FROM "FacesRollup" WHERE "Sent" = 0;
            DELETE FROM "SlaRollup" WHERE "Tickets" = 0;
            DELETE FROM "BaselineRollup" WHERE "N" = 0;
            {DeleteEmptyTrends}
            {ClearMarked}
            """;
    }

    /// <summary>
    /// Moves the rollups on to @now: adds the rows that settled since the last cutoff (all settled rows the first time)
    /// and records @now as the cutoff. Parameters @now, @window, @major, @cutoff (the cutoff before: NULL the first time).
    /// </summary>
    public string Advance => field ??= $"""
        {Rollups(null, "", "@now")}
        {PendingRollup("-", "f.\"Anchor\" + @window > @cutoff AND f.\"Anchor\" + @window <= @now")}
        {TrendRollup(TrendPart.Pending, "-", "f.\"Anchor\" + @window > @cutoff AND f.\"Anchor\" + @window <= @now")}
        {PendingRollup("", "@cutoff IS NULL AND f.\"Anchor\" + @window > @now")}
        {TrendRollup(TrendPart.Pending, "", "@cutoff IS NULL AND f.\"Anchor\" + @window > @now")}
        DELETE FROM "PendingRollup" WHERE "N" = 0;
        {DeleteEmptyTrends}
        {FacesRollup("((@cutoff IS NULL AND f.\"SurveySentAt\" <= @now) OR (f.\"SurveySentAt\" > @cutoff AND f.\"SurveySentAt\" <= @now))", FacesSums("@now", "@cutoff"))}
        {FacesRollup("f.\"SurveySentAt\" <= @cutoff AND f.\"Anchor\" > @cutoff - @window AND f.\"Anchor\" <= @now - @window", FacesSums("@now", "@cutoff"))}
        DELETE FROM "FacesRollup" WHERE "Sent" = 0;
        UPDATE "OutcomesState" SET "Cutoff" = @now;
        """;

    /// <summary>
    /// Adds (sign "") or takes away (sign "-") rows' settled contributions to the three rollups: the rows of the
    /// <paramref name="customers"/> settled by <paramref name="at"/> — nothing while there is no cutoff yet — or, with no
    /// customers, every row that settled in (@cutoff, @now]. A complaint settles for the matrix when its window ends
    /// (anchor + window) and for the SLA report when nothing about its targets can change with time alone
    /// (<c>SlaSettledAt</c>: responded and resolved, or past the due times); a silent customer when the window after
    /// the first order ends. Sought and given remedies are -1 for none (a key cannot be NULL).
    /// </summary>
    private string Rollups(string? customers, string sign, string at)
    {
        var (complaints, sla, baseline) = customers is null
            ? ("f.\"Anchor\" + @window > @cutoff AND f.\"Anchor\" + @window <= @now",
               "f.\"SlaSettledAt\" > @cutoff AND f.\"SlaSettledAt\" <= @now",
               "b.\"Anchor\" + @window > @cutoff AND b.\"Anchor\" + @window <= @now")
            : ($"f.\"CustomerId\" IN {customers} AND f.\"Anchor\" + @window <= {at}",
               $"f.\"CustomerId\" IN {customers} AND f.\"SlaSettledAt\" <= {at}",
               $"b.\"CustomerId\" IN {customers} AND b.\"Anchor\" + @window <= {at}");
        // The first advance (no cutoff yet) takes every settled row; a rewrite before the first advance has nothing to do.
        var first = customers is null ? " OR (@cutoff IS NULL AND {0} <= @now)" : "";
        string When(string condition, string settledAt) => customers is null
            ? $"(({condition}){string.Format(System.Globalization.CultureInfo.InvariantCulture, first, settledAt)})"
            : $"({condition} AND {at} IS NOT NULL)";
        var pending = customers is null ? "" : PendingRollup(sign, $"f.\"CustomerId\" IN {customers} AND f.\"Anchor\" + @window > {at} AND {at} IS NOT NULL")
            + TrendRollup(TrendPart.Pending, sign, $"f.\"CustomerId\" IN {customers} AND f.\"Anchor\" + @window > {at} AND {at} IS NOT NULL");
        var faces = customers is null ? ""
            : FacesRollup($"f.\"CustomerId\" IN {customers} AND f.\"SurveySentAt\" <= {at} AND {at} IS NOT NULL", FacesSums(at, sign: sign));
        return $"""
            {pending}
            {faces}
            INSERT INTO "MatrixRollup" ("Week", "Level", "Band", "IsRepeat", "Severity", "Cell", "Sought", "Given", "N", "Repurchased", "Revenue", "RemedyCost")
            SELECT {Week("f.\"ReceivedAt\"")}, f."Level", f."Band", f."IsRepeat", f."Severity", f."Cell", COALESCE(f."Sought", -1), COALESCE(f."Given", -1),
                   {sign}COUNT(*), {sign}COUNT(f."Revenue"), {sign}COALESCE(SUM(f."Revenue"), 0), {sign}SUM(f."RemedyCost")
            FROM "ComplaintOutcomes" AS f WHERE {When(complaints, "f.\"Anchor\" + @window")}
            GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
            ON CONFLICT ("IsRepeat", "Severity", "Cell", "Sought", "Given", "Level", "Band", "Week") DO UPDATE SET
                "N" = "MatrixRollup"."N" + excluded."N", "Repurchased" = "MatrixRollup"."Repurchased" + excluded."Repurchased",
                "Revenue" = "MatrixRollup"."Revenue" + excluded."Revenue", "RemedyCost" = "MatrixRollup"."RemedyCost" + excluded."RemedyCost";
            INSERT INTO "SlaRollup" ("Week", "Level", "Band", "Severity", "Agent", "Tickets", "FirstMet", "ResolutionMet", "Resolved", "ToResolve")
            SELECT {Week("f.\"ReceivedAt\"")}, f."Level", f."Band", f."Severity", f."Agent",
                   {sign}COUNT(*), {sign}COUNT(CASE WHEN f."FirstRespondedAt" <= f."FirstResponseDueAt" THEN 1 END),
                   {sign}COUNT(CASE WHEN f."ResolvedAt" <= f."ResolutionDueAt" THEN 1 END), {sign}COUNT(f."ResolvedAt"),
                   {sign}COALESCE(SUM(f."ResolvedAt" - f."ReceivedAt"), 0)
            FROM "ComplaintOutcomes" AS f WHERE {When(sla, "f.\"SlaSettledAt\"")}
            GROUP BY 1, 2, 3, 4, 5
            ON CONFLICT ("Week", "Level", "Band", "Severity", "Agent") DO UPDATE SET
                "Tickets" = "SlaRollup"."Tickets" + excluded."Tickets", "FirstMet" = "SlaRollup"."FirstMet" + excluded."FirstMet",
                "ResolutionMet" = "SlaRollup"."ResolutionMet" + excluded."ResolutionMet", "Resolved" = "SlaRollup"."Resolved" + excluded."Resolved",
                "ToResolve" = "SlaRollup"."ToResolve" + excluded."ToResolve";
            {TrendRollup(TrendPart.Matrix, sign, When(complaints, "f.\"Anchor\" + @window"))}
            {TrendRollup(TrendPart.Sla, sign, When(sla, "f.\"SlaSettledAt\""))}
            INSERT INTO "BaselineRollup" ("Band", "Week", "Level", "Major", "N", "Repurchased", "Revenue")
            SELECT b."Band", {Week("b.\"Anchor\"")}, b."Level", CASE WHEN b."Amount" >= @major THEN 1 ELSE 0 END,
                   {sign}COUNT(*), {sign}COUNT(b."Revenue"), {sign}COALESCE(SUM(b."Revenue"), 0)
            FROM "BaselineOutcomes" AS b WHERE {When(baseline, "b.\"Anchor\" + @window")}
            GROUP BY 1, 2, 3, 4
            ON CONFLICT ("Band", "Week", "Level", "Major") DO UPDATE SET
                "N" = "BaselineRollup"."N" + excluded."N", "Repurchased" = "BaselineRollup"."Repurchased" + excluded."Repurchased",
                "Revenue" = "BaselineRollup"."Revenue" + excluded."Revenue";
            """;
    }

    /// <summary>
    /// Adds (sign "") or takes away ("-") complaints not settled by the cutoff, counted as pending with their remedy
    /// cost: the matrix reads them from here, and only the few that settled since the cutoff live.
    /// </summary>
    private static string PendingRollup(string sign, string where) => $"""
        INSERT INTO "PendingRollup" ("IsRepeat", "Severity", "Cell", "Sought", "Given", "Level", "Band", "Week", "N", "RemedyCost")
        SELECT f."IsRepeat", f."Severity", f."Cell", COALESCE(f."Sought", -1), COALESCE(f."Given", -1), f."Level", f."Band", {Week("f.\"ReceivedAt\"")},
               {sign}COUNT(*), {sign}SUM(f."RemedyCost")
        FROM "ComplaintOutcomes" AS f WHERE {where}
        GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
        ON CONFLICT ("IsRepeat", "Severity", "Cell", "Sought", "Given", "Level", "Band", "Week") DO UPDATE SET
            "N" = "PendingRollup"."N" + excluded."N", "RemedyCost" = "PendingRollup"."RemedyCost" + excluded."RemedyCost";
        """;

    /// <summary>Which of the rollups' three settled parts a <see cref="TrendRollup"/> statement adds to the trends rollup.</summary>
    private enum TrendPart { Matrix, Pending, Sla }

    /// <summary>The splits the trends rollup keeps (<c>Features.Reports.Trends.TrendSplit</c>'s values): root cause, channel, loyalty class.</summary>
    public static readonly (int Split, string Group)[] TrendSplits =
        [(1, "COALESCE(CAST(g.\"RootTop\" AS TEXT), '')"), (2, "g.\"Channel\""), (4, "g.\"LoyaltyClass\"")];

    private const string DeleteEmptyTrends = """DELETE FROM "TrendRollup" WHERE "Complaints" = 0 AND "Tickets" = 0;""";

    /// <summary>
    /// Adds (sign "") or takes away ("-") the rows <paramref name="where"/> picks to the trends rollup: per week received,
    /// level, band and each split's group, the measures of one of the three settled parts the matrix, pending and SLA rollups
    /// keep apart (the matrix's settled rows: complaints, measured, bought again, cost; its pending rows: complaints,
    /// pending, cost; the SLA report's settled rows: tickets and targets met). Added up, the three give every trend measure,
    /// as <c>MatrixRollup</c>, <c>PendingRollup</c> and <c>SlaRollup</c> give them for all complaints together. One grouped
    /// scan of the rows feeds all three splits.
    /// </summary>
    private static string TrendRollup(TrendPart part, string sign, string where)
    {
        var measures = part switch
        {
            TrendPart.Matrix => $"""
                {sign}COUNT(*), {sign}COUNT(CASE WHEN f."Cell" > 0 AND f."Revenue" IS NOT NULL THEN 1 END), {sign}COUNT(CASE WHEN f."Cell" > 0 THEN 1 END),
                0, {sign}SUM(f."RemedyCost"), 0, 0, 0
                """,
            TrendPart.Pending => $"""{sign}COUNT(*), 0, 0, {sign}COUNT(CASE WHEN f."Cell" > 0 THEN 1 END), {sign}SUM(f."RemedyCost"), 0, 0, 0""",
            _ => $"""
                0, 0, 0, 0, 0, {sign}COUNT(*), {sign}COUNT(CASE WHEN f."FirstRespondedAt" <= f."FirstResponseDueAt" THEN 1 END),
                {sign}COUNT(CASE WHEN f."ResolvedAt" <= f."ResolutionDueAt" THEN 1 END)
                """,
        };
        string[] columns = ["Complaints", "Bought", "Measured", "Pending", "Cost", "Tickets", "FirstMet", "ResolutionMet"];
        var sums = string.Join(", ", columns.Select(c => $"SUM(g.\"{c}\")"));
        var splits = string.Join("\n UNION ALL ", TrendSplits.Select(s =>
            $"SELECT {s.Split}, {s.Group}, g.\"Level\", g.\"Band\", g.\"Week\", {sums} FROM g GROUP BY 2, 3, 4, 5"));
        return $"""
            WITH g ("RootTop", "Channel", "LoyaltyClass", "Level", "Band", "Week", {string.Join(", ", columns.Select(c => $"\"{c}\""))}) AS (
                SELECT f."RootTop", f."Channel", f."LoyaltyClass", f."Level", f."Band", {Week("f.\"ReceivedAt\"")}, {measures}
                FROM "ComplaintOutcomes" AS f WHERE {where}
                GROUP BY 1, 2, 3, 4, 5, 6)
            INSERT INTO "TrendRollup" ("Split", "Grp", "Level", "Band", "Week", {string.Join(", ", columns.Select(c => $"\"{c}\""))})
            SELECT u.* FROM ({splits}) AS u WHERE true
            ON CONFLICT ("Split", "Week", "Grp", "Level", "Band") DO UPDATE SET
                {string.Join(", ", columns.Select(c => $"\"{c}\" = \"TrendRollup\".\"{c}\" + excluded.\"{c}\""))};
            """;
    }

    /// <summary>Adds to the three faces rollup what <paramref name="sums"/> (already signed) says for the rows <paramref name="where"/> picks.</summary>
    private string FacesRollup(string where, string sums) => $"""
        INSERT INTO "FacesRollup" ("Class", "Cause", "Month", "Level", "Band", "Week", {string.Join(", ", FacesMeasures.Select(m => $"\"{m.Name}\""))})
        SELECT {FacesKey}, {sums}
        FROM "ComplaintOutcomes" AS f WHERE f."SurveySentAt" IS NOT NULL AND {where}
        GROUP BY 1, 2, 3, 4, 5, 6
        ON CONFLICT ("Class", "Cause", "Month", "Level", "Band", "Week") DO UPDATE SET
            {string.Join(", ", FacesMeasures.Select(m => $"\"{m.Name}\" = \"FacesRollup\".\"{m.Name}\" + excluded.\"{m.Name}\""))};
        """;
}
