using System.Diagnostics;
using System.Net;

namespace Desk.Bench;

/// <summary>
/// The queue's search box under load: <paramref name="connections"/> clients cycle through a mix of searches an
/// agent would type (a common word, two words, Chinese, a customer's name, a prefix, a rare word, a word with a
/// filter that few matches pass) against the real page, each request timed end to end.
/// </summary>
public static class SearchBench
{
    public sealed record Result(int Searches, double PerSecond, double P50, double P95, double P99, IReadOnlyList<(string Query, double P95)> PerQuery);

    public static async Task<Result> RunAsync(string baseUrl, string cookie, BenchDatabase db, int connections, int seconds)
    {
        var queries = await QueriesAsync(db);
        using var http = new HttpClient(new SocketsHttpHandler { UseCookies = false, MaxConnectionsPerServer = connections, AllowAutoRedirect = false });
        http.DefaultRequestHeaders.Add("Cookie", cookie);
        foreach (var q in queries) // warm up, and check every search answers a page
        {
            var response = await http.GetAsync(baseUrl + "/?q=" + q);
            if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"search {q} answered {(int)response.StatusCode}");
        }

        var samples = queries.ToDictionary(q => q, _ => new List<double>());
        var stop = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, connections).Select(async worker =>
        {
            var mine = queries.ToDictionary(q => q, _ => new List<double>());
            for (var i = worker; stop.Elapsed.TotalSeconds < seconds; i++)
            {
                var q = queries[i % queries.Length];
                var started = Stopwatch.GetTimestamp();
                using var response = await http.GetAsync(baseUrl + "/?q=" + q);
                await response.Content.ReadAsByteArrayAsync();
                if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"search {q} answered {(int)response.StatusCode}");
                mine[q].Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
            return mine;
        }).ToList();
        foreach (var mine in await Task.WhenAll(workers))
            foreach (var (q, list) in mine) samples[q].AddRange(list);

        var all = samples.Values.SelectMany(s => s).Order().ToArray();
        return new Result(all.Length, all.Length / stop.Elapsed.TotalSeconds, At(all, 0.50), At(all, 0.95), At(all, 0.99),
            [.. queries.Select(q => (Uri.UnescapeDataString(q), At([.. samples[q].Order()], 0.95)))]);
    }

    private static double At(double[] sorted, double share) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)(sorted.Length * share))];

    private static async Task<string[]> QueriesAsync(BenchDatabase db)
    {
        var customer = (await db.QueryAsync(
            "SELECT \"Name\" FROM \"Customers\" WHERE \"Id\" = (SELECT \"CustomerId\" FROM \"Tickets\" ORDER BY \"Id\" DESC LIMIT 1 OFFSET @skip)",
            r => r.GetString(0), ("skip", Math.Min(5000, await db.TicketCountAsync() / 2)))).Single(); // 5,000 back, or half way on a small desk
        return [.. new[] { "order", "parcel warehouse", "退款", "订单 发货", customer, "refund*", "supplier batch", "order&kind=Suggestion" }
            .Select(q => q.Contains('&', StringComparison.Ordinal) ? Uri.EscapeDataString(q[..q.IndexOf('&')]) + q[q.IndexOf('&')..] : Uri.EscapeDataString(q))];
    }
}
