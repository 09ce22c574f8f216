using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using Desk.Domain.Tickets;
using Microsoft.EntityFrameworkCore;

namespace Desk.Bench;

/// <summary>
/// Agents' writes while intake writes too: SQLite has one writer at a time, so what an agent feels is the note
/// or step waiting behind intake's transactions; PostgreSQL orders writers by row locks, so there they meet only
/// on the rows both touch (counters, the customer). Intake is the public complaint form of the same server.
/// </summary>
public static class WriteBench
{
    public sealed record Result(int Writes, double P50, double P95, double P99, int Intake, double IntakePerSecond);

    /// <summary>Posts internal notes (4 agents, each on its own tickets) for <paramref name="seconds"/> while intake files complaints.</summary>
    public static async Task<Result> NotesWhileIngestingAsync(string baseUrl, string user, string password, BenchDatabase db, int seconds)
    {
        var tickets = await OpenTicketsAsync(db, 4 * 400);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        var intake = IngestAsync(baseUrl, stop.Token);
        var sorted = await NotesAsync(baseUrl, user, password, tickets, stop);
        var filed = await intake;
        return Summary(sorted, filed, seconds);
    }

    /// <summary>
    /// Posts internal notes (4 agents) for <paramref name="seconds"/> while the desk rebuilds every customer's kept report
    /// rows, as it does on a first start after the seed or after admins change the repurchase window: the rebuild is
    /// started by forgetting which window the rows were built for. Returns how much was still to build at the end too
    /// (0: the rebuild finished within the measurement, which then measured less of it). The caller waits for the desk to settle after.
    /// </summary>
    public static async Task<(Result Notes, long LeftAtEnd)> NotesWhileRebuildingAsync(string baseUrl, string user, string password, BenchDatabase db, int seconds)
    {
        var tickets = await OpenTicketsAsync(db, 4 * 400);
        await using (var context = db.NewContext())
            await context.Database.ExecuteSqlRawAsync("UPDATE \"OutcomesState\" SET \"WindowMs\" = NULL");
        // The notes start at once: the desk's refresher looks every 2 s, and the rebuild's first write is measured too.
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        var sorted = await NotesAsync(baseUrl, user, password, tickets, stop);
        if (await db.CountAsync("SELECT COUNT(*) FROM \"OutcomesState\" WHERE \"WindowMs\" IS NULL") > 0)
            throw new InvalidOperationException($"the desk did not start rebuilding its report rows within the {seconds} s of notes");
        return (Summary(sorted, 0, seconds), await BenchResults.UpkeepLeftAsync(db));
    }

    /// <summary>4 agents post notes on their own tickets until <paramref name="stop"/>; each note's time, sorted.</summary>
    private static async Task<double[]> NotesAsync(string baseUrl, string user, string password, List<(long Id, int Version)> tickets, CancellationTokenSource stop)
    {
        var latencies = new ConcurrentBag<double>();
        var agents = Enumerable.Range(0, 4).Select(async agent =>
        {
            var (http, token) = await QueueBench.SignedInClientAsync(baseUrl, user, password, $"/tickets/{TicketNumber.Format(tickets[agent].Id)}");
            using (http)
            {
                for (var i = agent; i < tickets.Count && !stop.IsCancellationRequested; i += 4)
                {
                    var (id, version) = tickets[i];
                    var started = Stopwatch.GetTimestamp();
                    var response = await http.PostAsync($"/tickets/{TicketNumber.Format(id)}/actions/Note", new FormUrlEncodedContent(new Dictionary<string, string>
                    {
                        ["Version"] = version.ToString(CultureInfo.InvariantCulture), ["Text"] = "Checked with the warehouse: parcel left on Monday.",
                        ["__RequestVerificationToken"] = token,
                    }));
                    latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    if (response.StatusCode != HttpStatusCode.Redirect)
                        throw new InvalidOperationException($"a note on {TicketNumber.Format(id)} answered {(int)response.StatusCode}");
                }
            }
        }).ToList();
        await Task.WhenAll(agents);
        stop.Cancel();
        return [.. latencies.Order()];
    }

    private static Result Summary(double[] sorted, int filed, int seconds)
    {
        double P(double q) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
        return new Result(sorted.Length, P(0.50), P(0.95), P(0.99), filed, filed / (double)seconds);
    }

    /// <summary>
    /// Files complaints through the public form, two at a time, as fast as the server takes them, until stopped;
    /// returns how many. Intake runs inside the server, as e-mail intake will, so both meet at its write gate.
    /// </summary>
    private static async Task<int> IngestAsync(string baseUrl, CancellationToken stop)
    {
        var filed = 0;
        await Task.WhenAll(Enumerable.Range(0, 2).Select(async lane =>
        {
            using var http = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = new Uri(baseUrl) };
            var token = QueueBench.TokenIn(await http.GetStringAsync("/complain"));
            while (!stop.IsCancellationRequested)
            {
                var n = Interlocked.Increment(ref filed);
                var response = await http.PostAsync("/complain", new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["Name"] = "Bench Intake", ["Email"] = $"bench.intake{n % 5000}@example.org", ["Kind"] = "Complaint",
                    ["Subject"] = $"Bench intake {n}", ["Description"] = "The parcel never arrived.", ["__RequestVerificationToken"] = token,
                }), CancellationToken.None);
                if (response.StatusCode != HttpStatusCode.Redirect)
                    throw new InvalidOperationException($"the complaint form answered {(int)response.StatusCode}");
            }
        }));
        return filed;
    }

    private static Task<List<(long Id, int Version)>> OpenTicketsAsync(BenchDatabase db, int count) =>
        db.QueryAsync("SELECT \"Id\", \"Version\" FROM \"Tickets\" WHERE \"State\" = 'InProgress' ORDER BY \"Id\" DESC LIMIT @count",
            r => (r.GetInt64(0), r.GetInt32(1)), ("count", count));
}
