using Desk.Domain.Recovery;
using Desk.Domain.Remedies;
using System.Collections.Concurrent;
using System.Diagnostics;
using Bogus;
using Desk.Domain.Customers;
using Desk.Domain.Sla;
using Desk.Domain.Tickets;
using System.Data.Common;

namespace Desk.Seed;

/// <summary>What to generate.</summary>
/// <param name="Tickets">How many tickets; customers and orders follow from it.</param>
/// <param name="Seed">The same seed and the same <paramref name="Now"/> give the same data, row for row.</param>
/// <param name="Now">The generator's present: tickets fall in the two years before it, none after.</param>
public sealed record GeneratorOptions(int Tickets, int Seed, DateTime Now)
{
    /// <summary>Customers who never complain, per ticket: the "did not complain" baseline.</summary>
    public double QuietCustomersPerTicket { get; init; } = 0.3;
    public PlantedRecovery Planted { get; init; } = PlantedRecovery.Tarp;
    public int BatchSize { get; init; } = 5_000;
}

/// <summary>
/// What the search index reads of one ticket, as the SQLite index's own SQL gathers it: the subject, the customer's name and
/// address and every message of its conversation in the order they were written, each joined by one space.
/// </summary>
public readonly record struct TicketText(long TicketId, string Text);

public sealed record GenerationProgress(int TicketsWritten, int TicketsTotal, long RowsWritten, TimeSpan Elapsed);

/// <param name="Writing">Time the writer spent inserting; the rest of <paramref name="Elapsed"/> it waited for the generator.</param>
public sealed record GenerationReport(int Tickets, int Customers, int Orders, int ConversationEntries, int AuditEntries, TimeSpan Elapsed, TimeSpan Writing)
{
    /// <summary>Follow-up surveys planned for tickets in follow-up or closed (sent, some answered).</summary>
    public int Surveys { get; init; }

    /// <summary>Open follow-up tasks of the tickets still in follow-up (check-ins, account reviews by the customer's level).</summary>
    public int FollowUpTasks { get; init; }

    public long Rows => (long)Tickets + Customers + Orders + ConversationEntries + AuditEntries + Surveys + FollowUpTasks;
}

/// <summary>
/// Makes a believable desk: customers with purchase histories, tickets in every state with English and
/// Chinese text, remedies, root causes, audit trails that follow the real workflow, and the orders that
/// came after — planted so that repurchase rates per cell of the recovery matrix are known
/// (<see cref="PlantedRecovery"/>). Deterministic for a given seed and "now".
/// </summary>
/// <remarks>
/// Generation runs on one thread (one seeded random source keeps it deterministic) while a second
/// thread writes the previous batch, so the two cores of a small machine are both busy.
/// </remarks>
public sealed class DemoDataGenerator(GeneratorOptions options)
{
    /// <summary>The user names of the agents the demo tickets are assigned to; the demo sign-in users carry them.</summary>
    public static IReadOnlyList<string> AgentUserNames => Catalog.Agents;

    /// <summary>The tables the generator fills, parents first: what a bulk load prepares and finishes.</summary>
    public static IReadOnlyList<string> Tables { get; } = ["Customers", "Orders", "Tickets", "ConversationEntries", "AuditEntries", "Surveys", "FollowUpTasks"];

    private static readonly TimeSpan Span = TimeSpan.FromDays(730);
    private static readonly TimeSpan FollowUpWindow = TimeSpan.FromDays(14);

    /// <summary>
    /// Writes everything into <paramref name="connection"/>, an open connection to an empty, migrated desk database
    /// (SQLite or PostgreSQL: each has its own bulk writer). The rows carry their ids: on PostgreSQL the caller moves
    /// the identity sequences past them afterwards (see the web app's <c>PostgresBulkLoad</c>).
    /// </summary>
    /// <param name="searchTexts">
    /// When given, receives each batch's <see cref="TicketText"/>s on the generating thread, before the batch is written:
    /// for a caller that builds the search index beside the load instead of reading every message back after it.
    /// </param>
    public GenerationReport WriteTo(DbConnection connection, IProgress<GenerationProgress>? progress = null,
        Action<IReadOnlyList<TicketText>>? searchTexts = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (options.Tickets < 0) throw new ArgumentOutOfRangeException(nameof(options), "The number of tickets cannot be negative.");
        using var writer = WriterFor(connection);
        writer.EnsureEmpty();
        var context = new Context(options, writer.ReadSlaPolicy(), writer.ReadRootCauses()) { CollectTexts = searchTexts is not null };

        var clock = Stopwatch.StartNew();
        using var queue = new BlockingCollection<Batch>(boundedCapacity: 2);
        var producer = Task.Run(() =>
        {
            try
            {
                for (var start = 0; start < options.Tickets || (start == 0 && options.Tickets == 0); start += options.BatchSize)
                {
                    var batch = context.NextBatch(start, Math.Min(options.BatchSize, options.Tickets - start));
                    searchTexts?.Invoke(batch.SearchTexts);
                    queue.Add(batch);
                }
            }
            finally
            {
                queue.CompleteAdding();
            }
        });

        int tickets = 0, customers = 0, orders = 0, entries = 0, audit = 0, surveys = 0, tasks = 0;
        long rows = 0;
        var writing = new Stopwatch();
        foreach (var batch in queue.GetConsumingEnumerable())
        {
            writing.Start();
            writer.Write(batch);
            writing.Stop();
            tickets += batch.Tickets.Count;
            customers += batch.Customers.Count;
            orders += batch.Orders.Count;
            entries += batch.Conversation.Count;
            audit += batch.Audit.Count;
            surveys += batch.Surveys.Count;
            tasks += batch.FollowUpTasks.Count;
            rows += batch.RowCount;
            progress?.Report(new GenerationProgress(tickets, options.Tickets, rows, clock.Elapsed));
        }
        producer.GetAwaiter().GetResult(); // surfaces a generation error
        RecordLoad(connection, tickets);
        return new GenerationReport(tickets, customers, orders, entries, audit, clock.Elapsed, writing.Elapsed) { Surveys = surveys, FollowUpTasks = tasks };
    }

    /// <summary>Marks the desk as one holding demo data (the web app's <c>DemoDataLoads</c>; every page then says so).</summary>
    private void RecordLoad(DbConnection connection, int tickets)
    {
        using var command = connection.CreateCommand();
        command.CommandText = """INSERT INTO "DemoDataLoads" ("LoadedAt", "Tickets", "Seed") VALUES (@at, @tickets, @seed)""";
        var at = new DateTimeOffset(DateTime.SpecifyKind(options.Now, DateTimeKind.Utc)).ToUnixTimeMilliseconds(); // as the model stores time
        foreach (var (name, value) in new (string, object)[] { ("at", at), ("tickets", tickets), ("seed", options.Seed) })
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }
        command.ExecuteNonQuery();
    }

    /// <summary>
    /// Throws, as <see cref="WriteTo"/> does first, unless the desk at <paramref name="connection"/> holds no tickets,
    /// customers or orders: for a caller that prepares the database for a load and must not prepare one it will be refused.
    /// </summary>
    public static void EnsureEmpty(DbConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        using var writer = WriterFor(connection);
        writer.EnsureEmpty();
    }

    private static IDemoDataWriter WriterFor(DbConnection connection) =>
        (IDemoDataWriter?)SqliteBulkWriter.For(connection) ?? PostgresBulkWriter.For(connection)
        ?? throw new NotSupportedException($"No demo-data writer for {connection.GetType().Name}.");

    /// <summary>The generator's state while it walks through the tickets, oldest first.</summary>
    private sealed class Context(GeneratorOptions options, SlaPolicy sla, IReadOnlyList<(int Id, int? ParentId, string Code)> rootCauses)
    {
        private readonly Random _random = new(options.Seed);
        // Draws added after the first demo desks shipped come from their own source, so every older draw (and the planted
        // truth the report tests check) stays the same.
        private readonly Random _firstResponse = new(options.Seed + 7);
        // Survey answers draw from their own source, so adding them left every other row (and the planted truth the
        // report tests check at fixed seeds) exactly as it was.
        private readonly Random _surveys = new(options.Seed + 3);
        private readonly Faker _en = new("en") { Random = new Randomizer(options.Seed + 1) };
        private readonly Faker _zh = new("zh_CN") { Random = new Randomizer(options.Seed + 2) };
        private readonly DateTime _start = options.Now - Span;
        private readonly Dictionary<string, int[]> _childCauses = rootCauses
            .Where(c => c.ParentId is not null)
            .GroupBy(c => rootCauses.First(p => p.Id == c.ParentId).Code)
            .ToDictionary(g => g.Key, g => g.Select(c => c.Id).ToArray());
        private readonly List<Recent> _recentComplaints = [];
        private static readonly Catalog.Product[] MajorLossProducts = [.. Catalog.Products.Where(p => p.MaxPrice >= PlantedRecovery.MajorLossAmount)];
        private static readonly Catalog.Product[] MinorLossProducts = [.. Catalog.Products.Where(p => p.MinPrice < PlantedRecovery.MajorLossAmount)];
        /// <summary>Whether each ticket's <see cref="TicketText"/> goes into its batch.</summary>
        public bool CollectTexts { get; init; }
        private readonly System.Text.StringBuilder _text = new();
        private int[] _order = new int[16];
        private int _touches; // changes to the current ticket beyond its workflow steps, for its version
        private long _customerId, _orderId, _entryId, _auditId, _surveyId, _taskId;
        private double _quietOwed;

        private sealed class CustomerState(CustomerRow row)
        {
            public CustomerRow Row { get; } = row;
            public OrderRow? LastOrder { get; set; }
            /// <summary>No order may be placed up to this time: a planted "did not come back" must stay true.</summary>
            public DateTime QuietUntil { get; set; }
        }

        private sealed record Recent(long TicketId, CustomerState Customer, DateTime ReceivedAt, Severity Severity, string Cause, string Language);

        public Batch NextBatch(int first, int count)
        {
            var batch = new Batch();
            for (var i = first; i < first + count; i++)
            {
                Ticket(batch, i);
                for (_quietOwed += options.QuietCustomersPerTicket; _quietOwed >= 1; _quietOwed--)
                    QuietCustomer(batch);
            }
            return batch;
        }

        // ---- customers and orders -------------------------------------------------------------

        private CustomerState NewCustomer(Batch batch, DateTime firstSeen, bool chinese)
        {
            var id = ++_customerId;
            var faker = chinese ? _zh : _en;
            string name, email;
            if (chinese)
            {
                name = faker.Name.LastName() + faker.Name.FirstName();
                email = $"kehu{id}@example.net";
            }
            else
            {
                var firstName = faker.Name.FirstName();
                var lastName = faker.Name.LastName();
                name = $"{firstName} {lastName}";
                email = $"{Ascii(firstName)}.{Ascii(lastName)}.{id}@example.com";
            }
            var level = Pick([(RelationshipLevel.Basic, 50), (RelationshipLevel.Reactive, 20), (RelationshipLevel.Accountable, 15),
                (RelationshipLevel.Proactive, 10), (RelationshipLevel.Partnership, 5)]);
            var phone = _random.NextDouble() < 0.6 ? faker.Phone.PhoneNumber() : null;
            var row = new CustomerRow(id, email, name, phone, chinese ? "zh" : "en", level, firstSeen);
            batch.Customers.Add(row);
            return new CustomerState(row);
        }

        private OrderRow AddOrder(Batch batch, CustomerState customer, DateTime at, Catalog.Product product, decimal? amount = null)
        {
            var id = ++_orderId;
            var price = amount ?? Money(product.MinPrice, product.MaxPrice);
            var order = new OrderRow(id, $"SO-{id:D8}", customer.Row.Id, at, price, product.Name, product.Category);
            batch.Orders.Add(order);
            if (customer.LastOrder is null || at > customer.LastOrder.PlacedAt) customer.LastOrder = order;
            return order;
        }

        /// <summary>
        /// Orders after an anchor, as planted: one inside the window with probability <paramref name="p"/>, and life after it.
        /// Returns whether the draw said "comes back" (the order itself may still lie beyond "now").
        /// </summary>
        private bool PlantRepurchase(Batch batch, CustomerState customer, DateTime anchor, double p)
        {
            var windowEnd = anchor + PlantedRecovery.RepurchaseWindow;
            if (_random.NextDouble() < p)
            {
                var at = anchor + Between(TimeSpan.FromMinutes(1), PlantedRecovery.RepurchaseWindow);
                if (at <= customer.QuietUntil) at = customer.QuietUntil + Between(TimeSpan.FromMinutes(1), TimeSpan.FromDays(5));
                if (at <= windowEnd && at <= options.Now) AddOrder(batch, customer, at, AnyProduct());
                if (_random.NextDouble() < 0.3) LaterOrder(batch, customer, windowEnd);
                return true;
            }
            if (windowEnd > customer.QuietUntil) customer.QuietUntil = windowEnd;
            if (_random.NextDouble() < 0.12) LaterOrder(batch, customer, windowEnd);
            return false;
        }

        private void LaterOrder(Batch batch, CustomerState customer, DateTime after)
        {
            var at = Max(after, customer.QuietUntil) + Between(TimeSpan.FromDays(1), TimeSpan.FromDays(200));
            if (at <= options.Now) AddOrder(batch, customer, at, AnyProduct());
        }

        /// <summary>A customer who bought and never complained: the baseline of the recovery matrix.</summary>
        private void QuietCustomer(Batch batch)
        {
            var anchor = _start + Between(TimeSpan.Zero, options.Now - _start);
            var customer = NewCustomer(batch, anchor, _random.NextDouble() < 0.3);
            var major = _random.NextDouble() < 0.25;
            var product = major ? OneOf(MajorLossProducts) : OneOf(MinorLossProducts);
            var amount = major
                ? Money(Math.Max(product.MinPrice, PlantedRecovery.MajorLossAmount), product.MaxPrice)
                : Money(product.MinPrice, Math.Min(product.MaxPrice, PlantedRecovery.MajorLossAmount - 0.01m));
            AddOrder(batch, customer, anchor, product, amount);
            var severity = major ? Severity.Major : Severity.Minor;
            PlantRepurchase(batch, customer, anchor, options.Planted.Probability(severity, RecoveryColumn.DidNotComplain));
        }

        private CustomerState NewComplainer(Batch batch, DateTime receivedAt, Catalog.Product product, bool chinese)
        {
            var history = 1 + _random.Next(3);
            var firstSeen = receivedAt - Between(TimeSpan.FromDays(2), TimeSpan.FromDays(400));
            var customer = NewCustomer(batch, firstSeen, chinese);
            var at = firstSeen;
            for (var h = 1; h < history; h++)
            {
                AddOrder(batch, customer, at, AnyProduct());
                at += Between(TimeSpan.FromHours(1), (receivedAt - at) / 2);
            }
            // The order the complaint is about comes last, a few days before the complaint.
            var concerned = Max(at, receivedAt - Between(TimeSpan.FromDays(1), TimeSpan.FromDays(30)));
            AddOrder(batch, customer, concerned, product);
            return customer;
        }

        // ---- tickets ------------------------------------------------------------------------------

        private void Ticket(Batch batch, int index)
        {
            var id = (long)index + 1;
            var receivedAt = _start + Span * ((index + _random.NextDouble()) / Math.Max(1, options.Tickets));
            var age = options.Now - receivedAt;
            var kind = Pick([(TicketKind.Complaint, 80), (TicketKind.Question, 8), (TicketKind.Suggestion, 7), (TicketKind.Compliment, 5)]);
            var routeName = ChooseRoute(age, kind);
            var previous = routeName == "merged" || (kind == TicketKind.Complaint && _random.NextDouble() < 0.05)
                ? RecentComplaint(receivedAt) : null;
            if (routeName == "merged" && previous is null) routeName = "rejected-spam";
            var route = WorkflowPaths.All[routeName];
            var state = WorkflowPaths.End(route);

            var chinese = previous?.Language == "zh" || (previous is null && _random.NextDouble() < 0.3);
            var cause = previous?.Cause ?? PickCause();
            var product = AnyProduct();
            CustomerState customer;
            if (previous is not null) customer = previous.Customer;
            else if (routeName == "rejected-spam") customer = NewCustomer(batch, receivedAt, false);
            else customer = NewComplainer(batch, receivedAt, product, chinese);
            if (previous is null && routeName != "rejected-spam") product = Catalog.Products.First(p => p.Name == customer.LastOrder!.Product);
            var order = routeName == "rejected-spam" ? null : customer.LastOrder;

            var severity = previous?.Severity ?? (_random.NextDouble() < 0.25 ? Severity.Major : Severity.Minor);
            var due = sla.DueTimes(severity, customer.Row.Level, receivedAt);
            var agent = Catalog.Agents[_random.Next(Catalog.Agents.Length)];
            var lang = chinese ? ComplaintTexts.Zh : ComplaintTexts.En;
            string Fill(string text) => text
                .Replace("{product}", chinese ? product.NameZh : product.Name, StringComparison.Ordinal)
                .Replace("{order}", order?.ExternalRef ?? "-", StringComparison.Ordinal)
                .Replace("{days}", (3 + _random.Next(25)).ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
                .Replace("{name}", customer.Row.Name, StringComparison.Ordinal)
                .Replace("{agent}", agent, StringComparison.Ordinal);

            var (subject, description) = kind switch
            {
                TicketKind.Complaint => (Fill(OneOf(lang[cause].Subjects)), Fill(OneOf(lang[cause].Bodies))),
                TicketKind.Suggestion => (chinese ? "建议" : "A suggestion", Fill(OneOf(chinese ? ComplaintTexts.SuggestionsZh : ComplaintTexts.SuggestionsEn))),
                TicketKind.Compliment => (chinese ? "表扬" : "Thank you", Fill(OneOf(chinese ? ComplaintTexts.ComplimentsZh : ComplaintTexts.ComplimentsEn))),
                _ => (chinese ? "咨询" : "A question", Fill(OneOf(chinese ? ComplaintTexts.QuestionsZh : ComplaintTexts.QuestionsEn))),
            };
            if (routeName == "rejected-spam")
                (subject, description) = ("Cheap watches!!! Best prices", "Visit our online store for the best replica watches. Unsubscribe anytime.");

            var ticket = new TicketRow
            {
                Id = id,
                Kind = kind,
                Channel = Pick([(Channel.Email, 65), (Channel.Web, 25), (Channel.Phone, 8), (Channel.Api, 1), (Channel.InPerson, 1)]), // in person last: the other channels keep their draws
                Severity = severity,
                Impact = severity == Severity.Major ? Pick([(Impact.Medium, 60), (Impact.High, 40)]) : Pick([(Impact.Low, 70), (Impact.Medium, 30)]),
                SafetyRisk = cause == "product-quality" && severity == Severity.Major && _random.NextDouble() < 0.1,
                CustomerId = customer.Row.Id,
                CustomerLevel = customer.Row.Level,
                IsRepeatComplaint = kind == TicketKind.Complaint && previous is not null,
                Subject = subject,
                Description = description,
                RemedySoughtId = kind == TicketKind.Complaint ? SoughtRemedy(cause) : null,
                OrderReference = order?.ExternalRef,
                Product = order is null ? null : product.Name,
                ReceivedAt = receivedAt,
                FirstResponseDueAt = due.FirstResponseDueAt,
                ResolutionDueAt = due.ResolutionDueAt,
            };
            var author = customer.Row.Email;
            _touches = 0;
            var firstEntry = batch.Conversation.Count;
            AddEntry(batch, ticket, ConversationEntryKind.Inbound, author, receivedAt, description);
            AddAudit(batch, ticket, author, receivedAt, null, null, TicketState.New, $"Received by {ticket.Channel}");

            var times = Timeline(route, ticket, age);
            for (var s = 0; s < route.Length; s++)
                ApplyStep(batch, ticket, route[s], times[s], agent, customer.Row.Email, previous, Fill, chinese, cause, order);

            // A follow-up whose window ended unanswered would have been closed by the desk's follow-up scheduler by now: the
            // demo shows it closed, as the scheduler does it, instead of leaving the first start to close a pile at once.
            // Drawn from nothing, so every random draw and the planted truth stay as they were.
            var closedByDesk = false;
            if (state == TicketState.FollowUp && ticket.FollowUpDueAt is { } windowEnd && windowEnd <= options.Now)
            {
                ticket.ClosedAt = windowEnd;
                AddAudit(batch, ticket, "desk", windowEnd, TicketState.FollowUp, TicketTrigger.Close, TicketState.Closed,
                    "The follow-up window ended with no answer and no task open.");
                state = TicketState.Closed;
                closedByDesk = true;
            }

            // Still in follow-up: the open tasks of the customer's level's default plan, as the desk makes them on resolve.
            if (state == TicketState.FollowUp && ticket.ResolvedAt is { } resolvedAt)
                foreach (var task in Desk.Domain.FollowUps.FollowUpPlan.Default(customer.Row.Level).TasksFrom(resolvedAt))
                    batch.FollowUpTasks.Add(new FollowUpTaskRow(++_taskId, ticket.Id, ticket.CustomerId, task.Kind, task.DueAt, ticket.AssignedTo, resolvedAt));

            ticket.State = state;
            ticket.UpdatedAt = closedByDesk ? ticket.ClosedAt!.Value : times.Length > 0 ? times[^1] : receivedAt;
            ticket.Version = 1 + route.Length + _touches + (closedByDesk ? 1 : 0);
            batch.Tickets.Add(ticket);
            if (CollectTexts) batch.SearchTexts.Add(SearchTextOf(ticket, customer.Row, batch.Conversation, firstEntry));

            bool? cameBack = null;
            if (kind == TicketKind.Complaint && state != TicketState.Rejected)
            {
                var anchor = ticket.ResolvedAt ?? receivedAt;
                var column = ticket.ResolvedAt is null ? RecoveryColumn.ComplainedNotResolved
                    : ticket.ResolvedAt <= ticket.ResolutionDueAt ? RecoveryColumn.ResolvedWithinTarget : RecoveryColumn.ResolvedLate;
                var p = ticket.IsRepeatComplaint ? options.Planted.RepeatComplaint : options.Planted.Probability(severity, column);
                cameBack = PlantRepurchase(batch, customer, anchor, p);
                _recentComplaints.Add(new Recent(id, customer, receivedAt, severity, cause, customer.Row.Language));
                if (_recentComplaints.Count > 4096) _recentComplaints.RemoveRange(0, 2048);
            }
            else if (state != TicketState.Rejected && _random.NextDouble() < 0.4)
            {
                LaterOrder(batch, customer, receivedAt);
            }
            if (state is TicketState.FollowUp or TicketState.Closed)
                PlantSurvey(batch, ticket, route, times, cameBack, customer.Row.Language);
        }

        /// <summary>
        /// The ticket's text as the search index's SQL joins it: subject, name, address, then the messages in the order of
        /// the index it reads them by (time, then id), which is not always the order the steps wrote them in.
        /// </summary>
        private TicketText SearchTextOf(TicketRow ticket, CustomerRow customer, List<ConversationRow> entries, int first)
        {
            var count = entries.Count - first;
            if (_order.Length < count) _order = new int[Math.Max(count, _order.Length * 2)];
            for (var i = 0; i < count; i++)
            {
                // Insertion sort (a handful of messages), stable: equal times keep id order.
                var j = i;
                while (j > 0 && StoredForm.Ms(entries[first + _order[j - 1]].At) > StoredForm.Ms(entries[first + i].At))
                {
                    _order[j] = _order[j - 1];
                    j--;
                }
                _order[j] = i;
            }
            var text = _text.Clear().Append(ticket.Subject).Append(' ').Append(customer.Name).Append(' ').Append(customer.Email).Append(' ');
            for (var i = 0; i < count; i++)
            {
                if (i > 0) text.Append(' ');
                text.Append(entries[first + _order[i]].Body);
            }
            return new TicketText(ticket.Id, text.ToString());
        }

        // ---- follow-up surveys -------------------------------------------------------------------

        /// <summary>
        /// The survey of a ticket that reached follow-up, as the desk would have left it: sent during the (last) follow-up,
        /// answered by about a third of customers. An answer is the follow-up outcome the ticket already records (its time
        /// and whether the customer accepts) — the desk records it from the answer — so only tickets with a recorded outcome
        /// are answered, and their scores are not low (a low score would have reopened the ticket). Low answers are planted
        /// where the route reopens after follow-up: the answer is what reopened it.
        /// <para>
        /// The scores follow what the complaint's customer does next (<paramref name="cameBack"/>, the planted draw) and
        /// whether the resolution was on time, loosely: satisfied customers mostly come back, but not all, and the stated
        /// intention predicts less than satisfaction does (De Matos et al. 2007). Responsiveness and reliability improve a
        /// little over the two years, so the trend has something to show.
        /// </para>
        /// </summary>
        private void PlantSurvey(Batch batch, TicketRow ticket, PathStep[] route, DateTime[] times, bool? cameBack, string language)
        {
            var firstFollowUp = Array.FindIndex(route, s => s.Trigger == TicketTrigger.StartFollowUp);
            var lastFollowUp = Array.FindLastIndex(route, s => s.Trigger == TicketTrigger.StartFollowUp);
            var reopen = Array.FindIndex(route, s => s.Trigger == TicketTrigger.Reopen);
            if (firstFollowUp < 0) return;
            var onTime = ticket.ResolvedAt <= ticket.ResolutionDueAt ? 1.0 : 0.0;
            var back = cameBack switch { true => 1.0, false => 0.0, null => 0.6 };
            var progress = Math.Clamp((ticket.ReceivedAt - _start) / Span, 0, 1);
            var chinese = language == "zh";

            DateTime start, sentBy;
            DateTime? answeredAt = null;
            bool low = false;
            if (reopen > firstFollowUp && _surveys.NextDouble() < 0.6)
            {
                start = times[firstFollowUp];
                answeredAt = times[reopen] - TimeSpan.FromSeconds(2);
                sentBy = answeredAt.Value;
                low = true;
            }
            else
            {
                start = times[lastFollowUp];
                if (ticket.FollowUpRecordedAt is { } recorded && recorded > start && _surveys.NextDouble() < 0.6) answeredAt = recorded;
                var end = ticket.ClosedAt ?? options.Now;
                sentBy = answeredAt ?? (start + TimeSpan.FromDays(1) < end ? start + TimeSpan.FromDays(1) : end);
            }
            var sentAt = start + (sentBy - start) * (0.1 + 0.5 * _surveys.NextDouble());
            var token = new byte[32];
            _surveys.NextBytes(token);

            int? outcome = null, handling = null, intention = null, reliability = null, responsiveness = null, assurance = null, empathy = null, tangibles = null;
            bool? accepts = null;
            string? comment = null;
            if (answeredAt is not null)
            {
                if (low)
                {
                    outcome = 1 + _surveys.Next(2);
                    handling = Score(2.2 + 0.5 * onTime, 0.8, 1, 4);
                    intention = Score(1.8 + 0.7 * back, 1.0, 1, 5);
                    accepts = _surveys.NextDouble() < 0.7 ? false : null;
                    comment = batch.Audit.FindLast(a => a.TicketId == ticket.Id && a.Trigger == TicketTrigger.Reopen)?.Comment;
                }
                else
                {
                    var accepted = ticket.CustomerAccepted == true ? 1.0 : 0.0;
                    outcome = Score(3.1 + 1.0 * back + 0.4 * onTime + 0.4 * accepted, 0.75, 3, 5);
                    handling = Score(3.3 + 0.7 * onTime + 0.3 * back + 0.3 * accepted, 0.75, 3, 5);
                    intention = Score(2.7 + 0.9 * back + 0.3 * onTime + 0.3 * accepted, 1.0, 1, 5);
                    accepts = ticket.CustomerAccepted;
                    if (_surveys.NextDouble() < 0.25)
                        comment = (outcome >= 4 ? chinese ? PraiseZh : PraiseEn : chinese ? MixedZh : MixedEn)[_surveys.Next(PraiseEn.Length)];
                }
                if (_surveys.NextDouble() < 0.88) // the SERVQUAL questions may be left out
                {
                    reliability = Score(outcome.Value - 0.3 + 0.4 * progress, 0.7, 1, 5);
                    responsiveness = Score(2.5 + 1.4 * onTime + 0.2 * (handling.Value - 3) + 0.5 * progress, 0.8, 1, 5);
                    assurance = Score(handling.Value - 0.1, 0.7, 1, 5);
                    empathy = Score(handling.Value, 0.8, 1, 5);
                    tangibles = Score(3.7, 0.8, 1, 5);
                }
            }
            batch.Surveys.Add(new SurveyRow(++_surveyId, ticket.Id, ticket.CustomerId, chinese ? "zh" : "en", times[firstFollowUp], sentAt, sentAt,
                sentAt + SurveyLinkLifetime, Convert.ToHexStringLower(token), answeredAt, outcome, handling, intention, accepts,
                reliability, responsiveness, assurance, empathy, tangibles, comment));
        }

        private static readonly TimeSpan SurveyLinkLifetime = TimeSpan.FromDays(14);
        private static readonly string[] PraiseEn = ["Quick and friendly, thank you.", "The replacement works fine.", "Sorted out better than I expected."];
        private static readonly string[] PraiseZh = ["处理很快，态度也好，谢谢。", "换的新货没问题。", "比我预想的解决得好。"];
        private static readonly string[] MixedEn = ["It took a while, but it was sorted.", "Fine in the end.", "I had to ask twice."];
        private static readonly string[] MixedZh = ["等了一段时间，不过解决了。", "最后还行。", "我问了两次才有人管。"];

        /// <summary>A 1–5 answer around <paramref name="mean"/> (normal noise, rounded, kept within [min, max]).</summary>
        private int Score(double mean, double spread, int min, int max)
        {
            var u1 = 1.0 - _surveys.NextDouble();
            var u2 = _surveys.NextDouble();
            var normal = Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
            return Math.Clamp((int)Math.Round(mean + spread * normal, MidpointRounding.AwayFromZero), min, max);
        }

        private Recent? RecentComplaint(DateTime receivedAt)
        {
            for (var tries = 0; tries < 4 && _recentComplaints.Count > 0; tries++)
            {
                var candidate = _recentComplaints[_recentComplaints.Count - 1 - _random.Next(Math.Min(_recentComplaints.Count, 64))];
                if (receivedAt - candidate.ReceivedAt <= TimeSpan.FromDays(85)) return candidate;
            }
            return null;
        }

        private string ChooseRoute(TimeSpan age, TicketKind kind)
        {
            if (age < TimeSpan.FromDays(2))
                return Pick([("new", 8), ("acknowledged", 15), ("acknowledged-assessed", 5), ("in-progress", 20), ("in-progress-after-info", 5),
                    ("awaiting-customer", 12), ("escalated", 4), ("escalated-early", 2), ("resolved", 20), ("resolved-after-info", 4),
                    ("rejected-spam", 3), ("rejected-after-ack", 1), ("merged", 1)]);
            if (age < TimeSpan.FromDays(21))
                return Pick([("in-progress", 8), ("awaiting-customer", 6), ("escalated", 3), ("resolved", 10), ("resolved-after-info", 3),
                    ("resolved-after-escalation", 2), ("follow-up", 35), ("follow-up-after-info", 8), ("closed", 15),
                    ("rejected-spam", 2), ("rejected-after-ack", 1), ("merged", 1)]);
            return Pick([("closed", 550), ("closed-assessed", 80), ("closed-after-info", 100), ("closed-after-escalation", 50),
                ("closed-after-reopen", kind == TicketKind.Complaint ? 40 : 0), ("in-progress", 25), ("in-progress-after-info", 10),
                ("awaiting-customer", 30), ("escalated", 15), ("follow-up", 10), ("resolved", 10), ("acknowledged", 5),
                ("rejected-spam", 20), ("rejected-after-ack", 10), ("merged", 15)]);
        }

        /// <summary>
        /// When the first assignment (and with it, mostly, the first reply) happens: for about 85 % of tickets within the
        /// first-response target (a tenth to nine tenths of it), for the rest where the work's spread puts it. Never later
        /// than the spread would have put it, so every later step keeps its room.
        /// </summary>
        private DateTime FirstAssignment(DateTime cursor, TimeSpan spread, TimeSpan target)
        {
            var onTime = _firstResponse.NextDouble() < 0.85;
            var within = target * (0.1 + 0.8 * _firstResponse.NextDouble());
            return cursor + (onTime && within < spread ? within : spread);
        }

        /// <summary>
        /// When each step of the route happened: intake at once, work spread out after the first response,
        /// resolution on or after its target as drawn, follow-up closed when answered or when its window ran out.
        /// Every time is after the one before it and none is after "now".
        /// </summary>
        private DateTime[] Timeline(PathStep[] route, TicketRow ticket, TimeSpan age)
        {
            var times = new DateTime[route.Length];
            if (route.Length == 0) return times;
            var t0 = ticket.ReceivedAt;
            var budget = age < TimeSpan.FromDays(30) ? age : TimeSpan.FromDays(30);
            var resolutionTarget = ticket.ResolutionDueAt - t0;
            var resolves = route.Count(s => s.Phase == StepPhase.Resolve);
            var lastResolve = Array.FindLastIndex(route, s => s.Phase == StepPhase.Resolve);

            // The final resolution: within target for about 70 %, late for the rest, never in the future.
            DateTime? resolvedAt = null;
            if (resolves > 0)
            {
                var factor = _random.NextDouble() < 0.7 ? 0.15 + 0.8 * _random.NextDouble() : 1.05 + 2.5 * _random.NextDouble();
                var planned = t0 + resolutionTarget * factor;
                var latest = t0 + age * (route[^1].Phase == StepPhase.Resolve ? 0.95 : 0.6);
                resolvedAt = planned < latest ? planned : t0 + (latest - t0) * (0.5 + 0.45 * _random.NextDouble());
            }
            var workEnd = resolvedAt ?? t0 + budget * (0.2 + 0.7 * _random.NextDouble());
            var cursor = t0;
            var workSteps = route.Count(s => s.Phase == StepPhase.Work);
            var workGap = (workEnd - t0) / (workSteps + 2);
            var firstAssign = Array.FindIndex(route, s => s.Trigger == TicketTrigger.Assign);
            for (var s = 0; s < route.Length; s++)
            {
                var step = route[s];
                cursor = step.Phase switch
                {
                    StepPhase.Intake when step.Trigger is TicketTrigger.Reject or TicketTrigger.Merge =>
                        cursor + Between(TimeSpan.FromMinutes(10), Min(TimeSpan.FromHours(6), age * 0.5)),
                    StepPhase.Intake => cursor + Between(TimeSpan.FromSeconds(2), Min(TimeSpan.FromMinutes(5), age * 0.05)),
                    // The first assignment brings the first reply: within the first-response target for most tickets.
                    StepPhase.Work when step.Trigger == TicketTrigger.Assign && s == firstAssign =>
                        FirstAssignment(cursor, workGap * (0.5 + 0.5 * _random.NextDouble()), ticket.FirstResponseDueAt - t0),
                    StepPhase.Work => cursor + workGap * (0.5 + 0.5 * _random.NextDouble()),
                    StepPhase.Resolve when s == lastResolve => resolvedAt > cursor ? resolvedAt.Value : cursor + Between(TimeSpan.FromHours(1), TimeSpan.FromDays(1)),
                    StepPhase.Resolve => cursor + Between(TimeSpan.FromMinutes(5), Min(TimeSpan.FromDays(1), resolutionTarget * 0.3)),
                    StepPhase.Reopen => cursor + Between(TimeSpan.FromMinutes(30), TimeSpan.FromDays(3)),
                    _ when step.Trigger == TicketTrigger.StartFollowUp => cursor + Between(TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(30)),
                    _ => CloseTime(ticket, cursor), // Close
                };
                times[s] = cursor;
            }
            // Rare draws (a very young ticket, a reopened one) can run past "now": pull the tail back,
            // keeping the order of the steps, so nothing happens in the future.
            for (var s = times.Length - 1; s >= 0; s--)
            {
                var limit = (s == times.Length - 1 ? options.Now : times[s + 1]) - TimeSpan.FromMilliseconds(1);
                if (times[s] > limit) times[s] = limit;
            }
            if (lastResolve >= 0) ticket.ResolvedAt = times[lastResolve];
            if (ticket.FollowUpRecordedAt > times[^1]) ticket.FollowUpRecordedAt = times[^1] - TimeSpan.FromMilliseconds(1);
            return times;
        }

        private DateTime CloseTime(TicketRow ticket, DateTime followUpStart)
        {
            var windowEnd = followUpStart + FollowUpWindow;
            var room = options.Now - followUpStart;
            if (windowEnd < options.Now && _random.NextDouble() < 0.4)
                return windowEnd + Between(TimeSpan.Zero, Min(TimeSpan.FromHours(12), options.Now - windowEnd)); // never answered
            // Answered: the outcome is recorded, and the ticket closed right after.
            var recorded = followUpStart + Min(Between(TimeSpan.FromHours(2), TimeSpan.FromDays(10)), room * 0.5);
            ticket.FollowUpRecordedAt = recorded;
            return recorded + Min(Between(TimeSpan.FromMinutes(1), TimeSpan.FromHours(2)), (options.Now - recorded) * 0.5);
        }

        private void ApplyStep(Batch batch, TicketRow ticket, PathStep step, DateTime at, string agent, string customerEmail, Recent? previous,
            Func<string, string> fill, bool chinese, string cause, OrderRow? order)
        {
            var actor = step.Trigger is TicketTrigger.Acknowledge or TicketTrigger.StartFollowUp or TicketTrigger.Close ? "desk" : agent;
            string? comment = null;
            switch (step.Trigger)
            {
                case TicketTrigger.Acknowledge:
                    ticket.AcknowledgedAt = at;
                    break;
                case TicketTrigger.Assess:
                    comment = $"Severity {ticket.Severity}, impact {ticket.Impact}{(ticket.SafetyRisk ? ", safety risk" : "")}";
                    break;
                case TicketTrigger.Assign:
                    var assignee = ticket.AssignedTo is null ? agent : Catalog.Agents[_random.Next(Catalog.Agents.Length)];
                    ticket.AssignedTo = assignee;
                    comment = $"Assigned to {assignee}";
                    if (ticket.FirstRespondedAt is null && _random.NextDouble() < 0.8)
                    {
                        var replyAt = at + TimeSpan.FromSeconds(30);
                        AddEntry(batch, ticket, ConversationEntryKind.Outbound, agent, replyAt, fill(OneOf(chinese ? ComplaintTexts.RepliesZh : ComplaintTexts.RepliesEn)));
                        ticket.FirstRespondedAt = replyAt;
                        _touches++;
                    }
                    if (_random.NextDouble() < 0.15)
                    {
                        AddEntry(batch, ticket, ConversationEntryKind.InternalNote, agent, at + TimeSpan.FromSeconds(45), OneOf(chinese ? ComplaintTexts.NotesZh : ComplaintTexts.NotesEn));
                        _touches++;
                    }
                    break;
                case TicketTrigger.RequestInfo:
                    AddEntry(batch, ticket, ConversationEntryKind.Outbound, agent, at, fill(OneOf(chinese ? ComplaintTexts.QuestionsToCustomerZh : ComplaintTexts.QuestionsToCustomerEn)));
                    ticket.FirstRespondedAt ??= at;
                    break;
                case TicketTrigger.CustomerReplied:
                    actor = customerEmail;
                    AddEntry(batch, ticket, ConversationEntryKind.Inbound, actor, at, OneOf(chinese ? ComplaintTexts.AnswersZh : ComplaintTexts.AnswersEn));
                    break;
                case TicketTrigger.Escalate:
                    ticket.EscalationReason = OneOf(Catalog.EscalationReasons);
                    comment = ticket.EscalationReason;
                    break;
                case TicketTrigger.Resolve:
                    var remedy = ticket.RemedySoughtId is { } sought && _random.NextDouble() < 0.7 ? sought : SoughtRemedy(cause);
                    ticket.RemedyGivenId = remedy;
                    ticket.RemedyCost = RemedyCost(remedy, order?.Amount ?? 50m);
                    ticket.RootCauseId = CauseId(cause);
                    ticket.RootCauseNote = _random.NextDouble() < 0.3 ? OneOf(chinese ? ComplaintTexts.NotesZh : ComplaintTexts.NotesEn) : null;
                    ticket.Decision = fill(OneOf(chinese ? ComplaintTexts.DecisionsZh : ComplaintTexts.DecisionsEn));
                    AddEntry(batch, ticket, ConversationEntryKind.Outbound, agent, at, ticket.Decision);
                    ticket.FirstRespondedAt ??= at;
                    comment = $"Remedy #{remedy} ({ticket.RemedyCost:0.00}), root cause #{ticket.RootCauseId}";
                    break;
                case TicketTrigger.StartFollowUp:
                    ticket.FollowUpDueAt = at + FollowUpWindow;
                    comment = $"Follow-up window {FollowUpWindow.TotalDays:0} days";
                    break;
                case TicketTrigger.Close:
                    if (ticket.FollowUpRecordedAt is { } recorded)
                    {
                        var late = ticket.ResolvedAt > ticket.ResolutionDueAt;
                        ticket.CustomerAccepted = _random.NextDouble() < (late ? 0.6 : 0.85);
                        ticket.FollowUpNote = ticket.CustomerAccepted == false && _random.NextDouble() < 0.5 ? OneOf(chinese ? ComplaintTexts.ReopenZh : ComplaintTexts.ReopenEn) : null;
                        _touches++;
                        AddEntry(batch, ticket, ConversationEntryKind.SystemEvent, "desk", recorded,
                            ticket.CustomerAccepted == true ? "Customer accepts the decision." : "Customer does not accept the decision.");
                    }
                    ticket.ClosedAt = at;
                    break;
                case TicketTrigger.Reopen:
                    actor = customerEmail;
                    _touches++;
                    comment = OneOf(chinese ? ComplaintTexts.ReopenZh : ComplaintTexts.ReopenEn);
                    AddEntry(batch, ticket, ConversationEntryKind.Inbound, actor, at - TimeSpan.FromSeconds(1), comment);
                    ticket.ReopenCount++;
                    ticket.FollowUpDueAt = null;
                    break;
                case TicketTrigger.Reject:
                    ticket.RejectionReason = RejectionReason.Spam;
                    comment = "Spam";
                    break;
                case TicketTrigger.Merge:
                    ticket.RejectionReason = RejectionReason.Duplicate;
                    ticket.MergedIntoTicketId = previous!.TicketId;
                    comment = $"Merged into {TicketNumber.Format(previous.TicketId)}";
                    break;
                default:
                    break;
            }
            AddAudit(batch, ticket, actor, at, step.From, step.Trigger, step.To, comment);
        }

        private void AddEntry(Batch batch, TicketRow ticket, ConversationEntryKind kind, string author, DateTime at, string body)
        {
            batch.Conversation.Add(new ConversationRow(++_entryId, ticket.Id, kind, author, at, body));
            if (kind == ConversationEntryKind.Inbound) ticket.CustomerWroteAt = at; // as Ticket does: the queue's "customer replied" mark
        }

        private void AddAudit(Batch batch, TicketRow ticket, string actor, DateTime at, TicketState? from, TicketTrigger? trigger, TicketState to, string? comment) =>
            batch.Audit.Add(new AuditRow(++_auditId, ticket.Id, actor, at, from, trigger, to, comment));

        // ---- small choices ------------------------------------------------------------------------

        private string PickCause() => Pick([("product-quality", 22), ("delivery", 20), ("poor-service", 12), ("staff-attitude", 9),
            ("billing-price", 10), ("communication", 9), ("out-of-stock", 7), ("untrained-staff", 5), ("policy", 4), ("poor-selection", 2)]);

        private int CauseId(string cause) => OneOf(_childCauses[cause]);

        private int SoughtRemedy(string cause) => cause switch
        {
            "product-quality" => Pick([(RemedyKinds.Replacement, 40), (RemedyKinds.Refund, 35), (RemedyKinds.Repair, 20), (RemedyKinds.DiscountOrVoucher, 5)]),
            "delivery" => Pick([(RemedyKinds.Replacement, 40), (RemedyKinds.Refund, 30), (RemedyKinds.DiscountOrVoucher, 20), (RemedyKinds.ApologyAndExplanation, 10)]),
            "billing-price" => Pick([(RemedyKinds.Refund, 70), (RemedyKinds.DiscountOrVoucher, 20), (RemedyKinds.ApologyAndExplanation, 10)]),
            "staff-attitude" or "communication" => Pick([(RemedyKinds.ApologyAndExplanation, 60), (RemedyKinds.GoodwillGesture, 25), (RemedyKinds.DiscountOrVoucher, 15)]),
            _ => Pick([(RemedyKinds.ApologyAndExplanation, 30), (RemedyKinds.DiscountOrVoucher, 25), (RemedyKinds.Refund, 20), (RemedyKinds.GoodwillGesture, 15), (RemedyKinds.NoAction, 10)]),
        };

        private decimal RemedyCost(int remedy, decimal orderAmount) => remedy switch
        {
            RemedyKinds.Refund => orderAmount,
            RemedyKinds.Replacement => decimal.Round(orderAmount * 0.6m, 2),
            RemedyKinds.Repair => Money(20m, 80m),
            RemedyKinds.DiscountOrVoucher => Money(5m, 30m),
            RemedyKinds.GoodwillGesture => Money(5m, 20m),
            _ => 0m,
        };

        private Catalog.Product AnyProduct() => Catalog.Products[_random.Next(Catalog.Products.Length)];

        private T OneOf<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

        private T Pick<T>(IReadOnlyList<(T Value, int Weight)> weighted)
        {
            var total = 0;
            foreach (var (_, w) in weighted) total += w;
            var roll = _random.Next(total);
            foreach (var (value, w) in weighted)
            {
                if (roll < w) return value;
                roll -= w;
            }
            throw new InvalidOperationException("Weights must be positive.");
        }

        private TimeSpan Between(TimeSpan min, TimeSpan max) =>
            max <= min ? min : min + (max - min) * _random.NextDouble();

        private decimal Money(decimal min, decimal max) =>
            decimal.Round(min + (max - min) * (decimal)_random.NextDouble(), 2, MidpointRounding.AwayFromZero);

        private static DateTime Max(DateTime a, DateTime b) => a > b ? a : b;
        private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

        private static string Ascii(string name)
        {
            var chars = name.ToLowerInvariant().Where(char.IsAsciiLetterOrDigit).ToArray();
            return chars.Length == 0 ? "customer" : new string(chars);
        }
    }
}
