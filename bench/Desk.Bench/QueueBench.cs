using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Desk.Web.Data;
using Desk.Web.Features.Queue;

namespace Desk.Bench;

/// <summary>
/// <c>dotnet run -c Release --project bench/Desk.Bench -- [--tickets 1000000] [--provider sqlite|postgres] [--db FILE | --connection CS] [--seconds 10] [--connections 16] [--only writes|notes-intake] [--no-settle]</c>
/// Generates the desk once (or reuses the file or database), starts the web app as its own process on 127.0.0.1, signs
/// in, checks each page answers 200, then loads it with wrk and prints requests/s and latency percentiles.
/// See <see cref="BenchDatabase"/> for where each provider's desk is. <c>--only writes</c> measures only the agents' notes
/// (while intake runs and while the report rows rebuild), <c>--only notes-intake</c> only while intake runs; <c>--no-settle</c> stops without waiting for that rebuild to end
/// (for trying changes one after another: the next run's rebuild carries on from where it was, so a run after it is not on a settled desk).
/// </summary>
public static partial class QueueBench
{
    public static async Task<int> Main(string[] args)
    {
        if (args is ["intake", .. var rest]) return await IntakeBench.RunAsync(rest);
        if (args is ["orders", .. var orderArgs]) return await OrdersBench.RunAsync(orderArgs);
        if (args is ["reports", .. var reportArgs]) return await ReportsBench.RunAsync(reportArgs);
        if (args is ["cluster", .. var clusterArgs]) return await ClusterBench.RunAsync(clusterArgs);
        if (args is ["backup", .. var backupArgs]) return await BackupBench.RunAsync(backupArgs);
        if (args is ["figures", .. var figuresArgs]) return FiguresCommand.Run(figuresArgs);
        var tickets = IntArg(args, "--tickets", 1_000_000);
        var seconds = IntArg(args, "--seconds", 10);
        var connections = IntArg(args, "--connections", 16);
        var only = Array.IndexOf(args, "--only") is var at and >= 0 && at + 1 < args.Length ? args[at + 1] : null;
        var writesOnly = only is "writes" or "notes-intake";
        var settle = !args.Contains("--no-settle");
        if (!File.Exists("/usr/bin/wrk")) return Fail("wrk is not installed: apt-get install wrk");
        BenchDatabase db;
        try
        {
            db = await BenchDatabase.ForPagesAsync(args, tickets);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return Fail(e.Message);
        }

        if (!await EnsureSeededAsync(db, tickets)) return Fail("the seed command failed");

        var web = Path.Combine(AppContext.BaseDirectory, "Desk.Web.dll");
        var port = FreePort();
        var environment = ServerEnvironment(db);
        const string password = "Bench-Password-1";
        await CreateAdminAsync(web, environment, password);

        using var server = Start(web, ["--urls", $"http://127.0.0.1:{port}"], environment);
        try
        {
            var baseUrl = $"http://127.0.0.1:{port}";
            await WaitHealthyAsync(baseUrl);
            var cookie = await SignInAsync(baseUrl, "bench", password);
            var (deepPage, deepCursor, someTicket) = await LandmarksAsync(db, tickets);

            var pages = new (string Name, string Result, string Path)[]
            {
                ("queue: open, page 1", "queue_open", "/"),
                ("queue: all, page 1", "queue_all", "/?view=all"),
                ($"queue: all, page {deepPage} (keyset)", "queue_deep", $"/?view=all&after={deepCursor}"),
                ("queue: overdue", "queue_overdue", "/?view=overdue"),
                ("queue: major + SLA missed", "queue_major_missed", "/?view=all&severity=Major&sla=Missed"),
                ("ticket page", "ticket_page", $"/tickets/{someTicket}"),
                ("healthz", "healthz", "/healthz"),
                ("ceiling: queue view, no database", "ceiling", "/bench/render-only"),
            };
            await BenchResults.WarnIfUpkeepAsync(db);
            Console.WriteLine();
            Console.WriteLine($"Desk at {tickets:N0} tickets on {db.Description}, {connections} connections, {seconds} s each, Release build, {Environment.ProcessorCount} cores ({Cpu()})");
            Console.WriteLine($"{"page",-32} {"req/s",9} {"p50 ms",8} {"p90 ms",8} {"p99 ms",8}");
            if (!writesOnly)
                await WarmUpPagesAsync(baseUrl, cookie, pages, connections);
            BenchResults.Print("run", ("tickets", tickets), ("connections", connections), ("seconds", seconds));
            // Live updates on: as many open queue tabs, each holding the desk's event stream, as there are connections.
            await using var live = await LiveListeners.OpenAsync(baseUrl, cookie, connections);
            Console.WriteLine($"  with {live.Opened} live event streams open (one per connection, as open queue tabs hold them)");
            BenchResults.Print("live_streams", ("open", live.Opened));
            if (!writesOnly)
                await MeasurePagesAsync(baseUrl, cookie, pages, db, connections, seconds);
            // Warmed up as the pages are: the first notes and complaints of a fresh process compile their code paths.
            await WriteBench.NotesWhileIngestingAsync(baseUrl, "bench", password, db, 3);
            await Task.Delay(TimeSpan.FromSeconds(5));
            var writes = await WriteBench.NotesWhileIngestingAsync(baseUrl, "bench", password, db, seconds);
            Console.WriteLine($"{"note while intake runs",-32} {writes.Writes / (double)seconds,9:N0} {writes.P50,8:0.00} {writes.P95,8:0.00} {writes.P99,8:0.00}   (p95 in the p90 column; intake {writes.IntakePerSecond:N0} tickets/s alongside)");
            BenchResults.Print("notes_while_intake", ("per_s", writes.Writes / (double)seconds), ("p50_ms", writes.P50), ("p99_ms", writes.P99), ("intake_per_s", writes.IntakePerSecond));
            if (only == "notes-intake") return 0;
            var (rebuild, left) = await WriteBench.NotesWhileRebuildingAsync(baseUrl, "bench", password, db, seconds);
            Console.WriteLine($"{"note while report rows rebuild",-32} {rebuild.Writes / (double)seconds,9:N0} {rebuild.P50,8:0.00} {rebuild.P95,8:0.00} {rebuild.P99,8:0.00}   "
                + (left > 0 ? $"(p95 in the p90 column; {left:N0} customers' rows still to build at the end)" : "(p95 in the p90 column; the rebuild ended within the measurement)"));
            BenchResults.Print("notes_while_rebuild", ("per_s", rebuild.Writes / (double)seconds), ("p50_ms", rebuild.P50), ("p99_ms", rebuild.P99), ("left_at_end", left));
            // The desk finishes its rebuild before it is stopped, so the next run starts on a settled desk.
            var rebuilding = Stopwatch.StartNew();
            while (settle && await BenchResults.UpkeepLeftAsync(db) is var still and > 0)
            {
                if (rebuilding.Elapsed.TotalSeconds % 30 < 1) Console.WriteLine($"  the desk is finishing its rebuild ({still:N0} customers left) …");
                await Task.Delay(1_000);
            }
            return 0;
        }
        finally
        {
            server.Kill(entireProcessTree: true);
        }
    }

    /// <summary>Each page loaded for a while, and the JIT given time to finish what that made hot.</summary>
    private static async Task WarmUpPagesAsync(string baseUrl, string cookie, (string Name, string Result, string Path)[] pages, int connections)
    {
        foreach (var (_, _, path) in pages) // warm up first: the JIT's second tier comes after a few thousand calls
        {
            await CheckOkAsync(baseUrl + path, cookie);
            await WrkAsync(baseUrl + path, cookie, connections, 2);
        }
        // The JIT compiles what the warm-up made hot in the background, after it, on these same two cores: the page
        // measured first (the open queue) ran at half the rate it has a minute later. Let that finish first.
        await Task.Delay(TimeSpan.FromSeconds(10));
        foreach (var (_, _, path) in pages) await WrkAsync(baseUrl + path, cookie, connections, 1);
        await Task.Delay(TimeSpan.FromSeconds(5));
        BenchResults.WarnIfBusy("the pages are loaded");
    }

    /// <summary>Each page loaded with wrk for <paramref name="seconds"/>; then search and the navigation counts.</summary>
    private static async Task MeasurePagesAsync(string baseUrl, string cookie, (string Name, string Result, string Path)[] pages, BenchDatabase db, int connections, int seconds)
    {
        foreach (var (name, key, path) in pages)
        {
            var result = await WrkAsync(baseUrl + path, cookie, connections, seconds);
            Console.WriteLine($"{name,-32} {result.RequestsPerSecond,9:N0} {result.P50,8:0.00} {result.P90,8:0.00} {result.P99,8:0.00}");
            BenchResults.Print(key, ("rps", result.RequestsPerSecond), ("p50_ms", result.P50), ("p99_ms", result.P99));
        }

        var search = await SearchBench.RunAsync(baseUrl, cookie, db, connections, seconds);
        Console.WriteLine($"{"search, mix of 8 (p95 in p90 col)",-32} {search.PerSecond,9:N0} {search.P50,8:0.00} {search.P95,8:0.00} {search.P99,8:0.00}");
        foreach (var (query, p95) in search.PerQuery) Console.WriteLine($"    p95 {p95,8:0.00} ms  {query}");
        BenchResults.Print("search", ("rps", search.PerSecond), ("p95_ms", search.P95), ("p99_ms", search.P99));

        var (countsP50, countsP99) = await CountsBench.ReadAsync(db);
        Console.WriteLine($"{"navigation counts (in-process)",-32} {"",9} {countsP50,8:0.000} {"",8} {countsP99,8:0.000}");
        BenchResults.Print("nav_counts", ("p50_ms", countsP50), ("p99_ms", countsP99));
    }

    /// <summary>Seeds <paramref name="tickets"/> tickets into the bench's database unless it has them (later runs reuse it); false when the seed failed.</summary>
    internal static async Task<bool> EnsureSeededAsync(BenchDatabase db, int tickets)
    {
        if (await db.TicketCountAsync() >= tickets) return true; // the write bench adds a few hundred: a desk with those is reused
        Console.WriteLine($"Generating {tickets:N0} tickets into {db.Description} (once; later runs reuse it) …");
        string[] target = db.Kind == DatabaseProvider.Postgres
            ? ["--provider", "postgres", "--connection", db.ConnectionString]
            : ["--db", db.Provider.Describe(db.ConnectionString)];
        return Desk.Seed.SeedCommand.Main([.. target, "--tickets", tickets.ToString(CultureInfo.InvariantCulture), "--replace", "--now", "2026-11-23T00:00:00Z"]) == 0;
    }

    /// <summary>The settings a bench's desk process runs with.</summary>
    internal static Dictionary<string, string> ServerEnvironment(BenchDatabase db) => new(db.WebEnvironment())
    {
        ["ASPNETCORE_ENVIRONMENT"] = "Production",
        ["Desk__DemoData__SeedOnFirstRun"] = "false",
        ["Logging__LogLevel__Default"] = "Warning",
        ["Desk__Bench__RenderOnly"] = "true",
        ["Desk__PublicForm__PostsPerWindow"] = "10000", // the write bench files complaints from one address
    };

    internal static Task CreateAdminAsync(string web, Dictionary<string, string> environment, string password) =>
        RunAsync(web, ["create-admin", "--user", "bench", "--email", "bench@desk.example"], environment, stdin: password);

    /// <summary>One ticket's number.</summary>
    internal static async Task<string> SomeTicketAsync(BenchDatabase db) =>
        (await db.QueryAsync("SELECT MAX(\"Id\") FROM \"Tickets\"", r => $"D-{r.GetInt64(0):D6}")).Single();

    /// <summary>Checks <paramref name="url"/> answers 200, then loads it briefly: the JIT's second tier comes after a few thousand calls.</summary>
    internal static async Task WarmAsync(string url, string cookie, int connections)
    {
        await CheckOkAsync(url, cookie);
        await WrkAsync(url, cookie, connections, 2);
    }

    internal static Task<WrkResult> LoadAsync(string url, string cookie, int connections, int seconds) => WrkAsync(url, cookie, connections, seconds);

    internal sealed record WrkResult(double RequestsPerSecond, double P50, double P90, double P99);

    private static async Task<WrkResult> WrkAsync(string url, string cookie, int connections, int seconds)
    {
        var output = await RunAsync("/usr/bin/wrk",
            ["-t2", $"-c{connections}", $"-d{seconds}s", "--latency", "-H", $"Cookie: {cookie}", url], new Dictionary<string, string>());
        if (output.Contains("Non-2xx", StringComparison.Ordinal))
            throw new InvalidOperationException($"wrk saw errors for {url}:\n{output}");
        double Percentile(string p) => Milliseconds(Regex.Match(output, $@"^\s+{p}%\s+(\S+)", RegexOptions.Multiline).Groups[1].Value);
        var rps = double.Parse(RequestsPerSecond().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);
        return new WrkResult(rps, Percentile("50"), Percentile("90"), Percentile("99"));
    }

    private static double Milliseconds(string wrk) =>
        wrk.EndsWith("us", StringComparison.Ordinal) ? double.Parse(wrk[..^2], CultureInfo.InvariantCulture) / 1000
        : wrk.EndsWith("ms", StringComparison.Ordinal) ? double.Parse(wrk[..^2], CultureInfo.InvariantCulture)
        : double.Parse(wrk[..^1], CultureInfo.InvariantCulture) * 1000;

    internal static async Task<string> SignInAsync(string baseUrl, string user, string password)
    {
        var cookies = new CookieContainer();
        using var http = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = new Uri(baseUrl) };
        var form = await http.GetStringAsync("/account/login");
        var token = WebUtility.HtmlDecode(Token().Match(form).Groups[1].Value);
        var response = await http.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["UserName"] = user, ["Password"] = password, ["__RequestVerificationToken"] = token,
        }));
        if (response.StatusCode != HttpStatusCode.Redirect) throw new InvalidOperationException($"sign-in answered {response.StatusCode}");
        var auth = cookies.GetCookies(new Uri(baseUrl)).Single(c => c.Name == "desk.auth");
        return $"{auth.Name}={auth.Value}";
    }

    /// <summary>A signed-in client (cookies kept) and the antiforgery token of <paramref name="page"/>, for posting forms.</summary>
    public static async Task<(HttpClient Client, string Token)> SignedInClientAsync(string baseUrl, string user, string password, string page)
    {
        var http = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = new Uri(baseUrl) };
        var login = await http.GetStringAsync("/account/login");
        var response = await http.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["UserName"] = user, ["Password"] = password, ["__RequestVerificationToken"] = WebUtility.HtmlDecode(Token().Match(login).Groups[1].Value),
        }));
        if (response.StatusCode != HttpStatusCode.Redirect) throw new InvalidOperationException($"sign-in answered {response.StatusCode}");
        var html = await http.GetStringAsync(page);
        return (http, WebUtility.HtmlDecode(Token().Match(html).Groups[1].Value));
    }

    public static string TokenIn(string html) => WebUtility.HtmlDecode(Token().Match(html).Groups[1].Value);

    private static async Task CheckOkAsync(string url, string cookie)
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Add("Cookie", cookie);
        var response = await http.SendAsync(request);
        if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"{url} answered {(int)response.StatusCode}, not 200");
    }

    internal static async Task WaitHealthyAsync(string baseUrl)
    {
        using var http = new HttpClient();
        for (var i = 0; i < 1_200; i++) // a first start on an older file migrates it: building the search index takes a minute or two
        {
            try
            {
                if ((await http.GetAsync(baseUrl + "/healthz")).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            await Task.Delay(500);
        }
        throw new InvalidOperationException("the web app did not become healthy within ten minutes");
    }

    /// <summary>
    /// A deep page of the queue — page 500 (after 24,950 tickets, newest first), or the last full one of a smaller
    /// desk — with its keyset cursor, and one ticket number.
    /// </summary>
    private static async Task<(int Page, string Cursor, string Ticket)> LandmarksAsync(BenchDatabase db, int tickets)
    {
        var page = Math.Clamp(tickets / QueueController.PageSize, 2, 500);
        var (receivedAt, id) = (await db.QueryAsync(
            "SELECT \"ReceivedAt\", \"Id\" FROM \"Tickets\" ORDER BY \"ReceivedAt\" DESC, \"Id\" DESC LIMIT 1 OFFSET @before",
            r => (r.GetInt64(0), r.GetInt64(1)), ("before", (page - 1) * QueueController.PageSize - 1))).Single();
        var ticks = DateTime.UnixEpoch.Ticks + receivedAt * TimeSpan.TicksPerMillisecond;
        // The ticket page's ticket at the same depth among the seeded tickets only: the write benches file complaints
        // "now" on every run, and the deep page's ticket had drifted to one of those, a different kind of page each run.
        var ticket = (await db.QueryAsync(
            "SELECT \"Id\" FROM \"Tickets\" WHERE \"Id\" <= @tickets ORDER BY \"ReceivedAt\" DESC, \"Id\" DESC LIMIT 1 OFFSET @before",
            r => r.GetInt64(0), ("tickets", tickets), ("before", (page - 1) * QueueController.PageSize - 1))).Single();
        return (page, $"{ticks}-{id}", $"D-{ticket:D6}");
    }

    internal static Process Start(string dll, string[] args, Dictionary<string, string> environment, bool redirect = false)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = redirect, RedirectStandardError = redirect, RedirectStandardInput = redirect, UseShellExecute = false };
        start.ArgumentList.Add(dll);
        foreach (var a in args) start.ArgumentList.Add(a);
        foreach (var (k, v) in environment) start.Environment[k] = v;
        return Process.Start(start)!;
    }

    private static async Task<string> RunAsync(string program, string[] args, Dictionary<string, string> environment, string? stdin = null)
    {
        var start = new ProcessStartInfo(program.EndsWith(".dll", StringComparison.Ordinal) ? "dotnet" : program)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false,
        };
        if (program.EndsWith(".dll", StringComparison.Ordinal)) start.ArgumentList.Add(program);
        foreach (var a in args) start.ArgumentList.Add(a);
        foreach (var (k, v) in environment) start.Environment[k] = v;
        using var process = Process.Start(start)!;
        if (stdin is not null) await process.StandardInput.WriteLineAsync(stdin);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return await output + await error;
    }

    internal static int FreePort()
    {
        var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>scripts/<paramref name="name"/> of the checkout this bench was built in, or null.</summary>
    internal static string? FindScript(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "scripts", name))) return Path.Combine(dir.FullName, "scripts", name);
        return null;
    }

    internal static string Cpu() =>
        File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':')[1].Trim() ?? "?"
            : "?";

    internal static int IntArg(string[] args, string name, int fallback) =>
        Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;

    internal static string StringArg(string[] args, string name, string fallback) =>
        Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;

    private static int Fail(string message)
    {
        Console.Error.WriteLine($"error: {message}");
        return 1;
    }

    [GeneratedRegex(@"Requests/sec:\s+([0-9.]+)")]
    private static partial Regex RequestsPerSecond();

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Token();
}
