using System.Diagnostics;
using System.Globalization;
using Desk.Web.Data;

namespace Desk.Bench;

/// <summary>
/// <c>dotnet run -c Release --project bench/Desk.Bench -- cluster [--tickets 100000] [--connection CS] [--seconds 10] [--connections 16]</c>
/// Several desks on one PostgreSQL behind nginx, in one run on one machine: the same pages loaded with wrk against one
/// desk directly, through nginx to that one desk, and through nginx balancing two desks round-robin (no sticky
/// sessions: the sign-in cookie is read by either), then customers filing complaints through the public form the same
/// three ways. Needs wrk and nginx (apt-get install wrk nginx).
/// </summary>
public static partial class ClusterBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var tickets = QueueBench.IntArg(args, "--tickets", 100_000);
        var seconds = QueueBench.IntArg(args, "--seconds", 10);
        var connections = QueueBench.IntArg(args, "--connections", 16);
        var customers = QueueBench.IntArg(args, "--customers", 8);
        if (!File.Exists("/usr/bin/wrk")) return Fail("wrk is not installed: apt-get install wrk");
        if (!File.Exists("/usr/sbin/nginx")) return Fail("nginx is not installed: apt-get install nginx");
        var db = await BenchDatabase.ForPagesAsync(["--provider", "postgres", .. args], tickets);
        if (!await QueueBench.EnsureSeededAsync(db, tickets)) return Fail("the seed command failed");

        var web = Path.Combine(AppContext.BaseDirectory, "Desk.Web.dll");
        var folder = Directory.CreateTempSubdirectory("desk-bench-nginx-").FullName;
        var environment = QueueBench.ServerEnvironment(db);
        environment["Desk__Mail__PickupFolder"] = Path.Combine(folder, "outbox"); // the acknowledgements, deleted with the run
        environment["Desk__PublicForm__PostsPerWindow"] = "10000"; // the most allowed: every customer posts from 127.0.0.1
        const string password = "Bench-Password-1";
        await QueueBench.CreateAdminAsync(web, environment, password);

        var ports = new[] { QueueBench.FreePort(), QueueBench.FreePort() };
        var desks = ports.Select(p => QueueBench.Start(web, ["--urls", $"http://127.0.0.1:{p}"], environment)).ToList();
        var (toOne, toTwo) = (QueueBench.FreePort(), QueueBench.FreePort());
        Process? nginx = null;
        try
        {
            foreach (var port in ports) await QueueBench.WaitHealthyAsync($"http://127.0.0.1:{port}");
            await SettledAsync(db);
            nginx = StartNginx(folder, toOne, [ports[0]], toTwo, ports);
            await QueueBench.WaitHealthyAsync($"http://127.0.0.1:{toTwo}");
            var cookie = await QueueBench.SignInAsync($"http://127.0.0.1:{toTwo}", "bench", password);
            var ticket = await QueueBench.SomeTicketAsync(db);
            var pages = new (string Name, string Result, string Path)[]
            {
                ("queue: open, page 1", "queue_open", "/"),
                ("ticket page", "ticket_page", $"/tickets/{ticket}"),
                ("ceiling: queue view, no database", "ceiling", "/bench/render-only"),
            };
            // RESULT cluster_<page>_<setup> and cluster_form_<setup>: direct, nginx_one, nginx_two.
            var setups = new (string Name, string Result, int Port)[]
            {
                ("one desk, direct", "direct", ports[0]),
                ("nginx -> one desk", "nginx_one", toOne),
                ("nginx -> two desks", "nginx_two", toTwo),
            };
            Console.WriteLine();
            Console.WriteLine($"Desks at {tickets:N0} tickets on {db.Description}, {connections} connections, {seconds} s each, Release build, "
                + $"{Environment.ProcessorCount} cores ({QueueBench.Cpu()}); desks, nginx, PostgreSQL and wrk all on this machine");
            Console.WriteLine($"{"page",-34} {"setup",-20} {"req/s",9} {"p50 ms",8} {"p90 ms",8} {"p99 ms",8}");
            foreach (var (_, _, path) in pages)
                foreach (var (_, _, port) in setups)
                    await QueueBench.WarmAsync($"http://127.0.0.1:{port}{path}", cookie, connections);
            foreach (var (name, pageResult, path) in pages)
                foreach (var (setup, setupResult, port) in setups)
                {
                    var result = await QueueBench.LoadAsync($"http://127.0.0.1:{port}{path}", cookie, connections, seconds);
                    Console.WriteLine($"{name,-34} {setup,-20} {result.RequestsPerSecond,9:N0} {result.P50,8:0.00} {result.P90,8:0.00} {result.P99,8:0.00}");
                    BenchResults.Print($"cluster_{pageResult}_{setupResult}", ("rps", result.RequestsPerSecond), ("p50_ms", result.P50), ("p90_ms", result.P90), ("p99_ms", result.P99));
                }

            Console.WriteLine();
            Console.WriteLine($"Complaints through the public form: {customers} customers at once, each loading the form and posting it "
                + $"(antiforgery and submission token; through two desks the post often reaches the other desk), {seconds} s each. "
                + "Ceiling: the same customers only loading the form (no database)");
            Console.WriteLine($"{"setup",-20} {"filed/s",9} {"pair p50",9} {"pair p99",9} {"form/s",9} {"of ceiling",11}");
            foreach (var (_, _, port) in setups) await FormLoadAsync($"http://127.0.0.1:{port}", customers, 2, post: true);
            await OutboxSentAsync(db);
            foreach (var (setup, setupResult, port) in setups)
            {
                var ceiling = await FormLoadAsync($"http://127.0.0.1:{port}", customers, seconds, post: false);
                var filed = await FormLoadAsync($"http://127.0.0.1:{port}", customers, seconds, post: true);
                await OutboxSentAsync(db);
                // A complaint is two requests (the form, then the post); the ceiling counts one: halve it to compare.
                Console.WriteLine($"{setup,-20} {filed.PerSecond,9:N0} {filed.P50,9:0.0} {filed.P99,9:0.0} {ceiling.PerSecond,9:N0} "
                    + $"{filed.PerSecond / (ceiling.PerSecond / 2),10:P0}");
                BenchResults.Print($"cluster_form_{setupResult}", ("filed_per_s", filed.PerSecond), ("p50_ms", filed.P50), ("p99_ms", filed.P99),
                    ("form_per_s", ceiling.PerSecond), ("share", filed.PerSecond / (ceiling.PerSecond / 2)));
            }
            return 0;
        }
        finally
        {
            if (nginx is not null) Stop(nginx);
            foreach (var desk in desks) desk.Kill(entireProcessTree: true);
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>
    /// Waits for the desks' background upkeep on a new desk to finish (the reports' first build of their kept outcomes,
    /// the first loyalty run): measured while it runs, every figure would be the upkeep's.
    /// </summary>
    private static async Task SettledAsync(BenchDatabase db)
    {
        var clock = Stopwatch.StartNew();
        var said = TimeSpan.Zero;
        while (true)
        {
            var waiting = await BenchResults.UpkeepLeftAsync(db);
            if (waiting == 0) break;
            if (clock.Elapsed - said > TimeSpan.FromSeconds(15))
            {
                Console.WriteLine($"  waiting for the desks' background upkeep: {waiting:N0} customers' report rows to build, {clock.Elapsed.TotalSeconds:0} s so far …");
                said = clock.Elapsed;
            }
            if (clock.Elapsed > TimeSpan.FromMinutes(20)) throw new InvalidOperationException("the background upkeep did not finish within 20 minutes");
            await Task.Delay(2_000);
        }
        Console.WriteLine($"  background upkeep finished ({clock.Elapsed.TotalSeconds:0} s after the desks were up)");
    }

    /// <summary>
    /// Waits until the acknowledgements of the complaints just filed have gone out (to the desks' pickup folder), so that
    /// one setup's mail is not sent while the next is measured.
    /// </summary>
    private static async Task OutboxSentAsync(BenchDatabase db)
    {
        var clock = Stopwatch.StartNew();
        while (await db.CountAsync("SELECT COUNT(*) FROM \"OutboundMails\" WHERE \"State\" = 'Queued'") > 0)
        {
            if (clock.Elapsed > TimeSpan.FromMinutes(5)) throw new InvalidOperationException("the acknowledgements were not sent within 5 minutes");
            await Task.Delay(500);
        }
    }

    private sealed record FormResult(double PerSecond, double P50, double P99);

    /// <summary>
    /// <paramref name="customers"/> customers, each with its own cookies, each in a loop: load <c>/complain</c>, then (when
    /// <paramref name="post"/>) post it filled in with the page's antiforgery and submission tokens, a new address each
    /// time (so the per-address limit never bites and every complaint opens a customer and a ticket). Counts complaints
    /// filed (a redirect to the status page), or forms loaded; times the load-and-post pair.
    /// </summary>
    private static async Task<FormResult> FormLoadAsync(string baseUrl, int customers, int seconds, bool post)
    {
        var latencies = new System.Collections.Concurrent.ConcurrentBag<double>();
        var run = Guid.NewGuid().ToString("N")[..8];
        var clock = Stopwatch.StartNew();
        var until = TimeSpan.FromSeconds(seconds);
        await Task.WhenAll(Enumerable.Range(0, customers).Select(async customer =>
        {
            using var http = new HttpClient(new HttpClientHandler { CookieContainer = new System.Net.CookieContainer(), AllowAutoRedirect = false })
            { BaseAddress = new Uri(baseUrl) };
            for (var n = 0; clock.Elapsed < until; n++)
            {
                var started = Stopwatch.GetTimestamp();
                var page = await http.GetStringAsync("/complain");
                if (post)
                {
                    var response = await http.PostAsync("/complain", new FormUrlEncodedContent(new Dictionary<string, string>
                    {
                        ["Name"] = $"Form Customer {customer}", ["Email"] = $"form.{run}.{customer}.{n}@example.org", ["Kind"] = "Complaint",
                        ["Subject"] = "The parcel arrived crushed", ["Description"] = "The box was crushed and two cups inside were broken.",
                        ["OrderReference"] = $"SO-{n}", ["__RequestVerificationToken"] = QueueBench.TokenIn(page),
                        ["Submission"] = System.Net.WebUtility.HtmlDecode(SubmissionIn().Match(page).Groups[1].Value),
                    }));
                    if (response.StatusCode != System.Net.HttpStatusCode.Redirect)
                        throw new InvalidOperationException($"the complaint form at {baseUrl} answered {(int)response.StatusCode}");
                }
                latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }));
        var elapsed = clock.Elapsed.TotalSeconds;
        var sorted = latencies.Order().ToArray();
        double P(double q) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
        return new FormResult(sorted.Length / elapsed, P(0.50), P(0.99));
    }

    [System.Text.RegularExpressions.GeneratedRegex("name=\"Submission\" value=\"([^\"]+)\"")]
    private static partial System.Text.RegularExpressions.Regex SubmissionIn();

    /// <summary>A private nginx: one server to the first desk alone, one balancing both round-robin.</summary>
    private static Process StartNginx(string folder, int toOne, int[] one, int toTwo, int[] two)
    {
        static string Upstream(string name, int[] ports) =>
            $"upstream {name} {{ {string.Concat(ports.Select(p => $"server 127.0.0.1:{p}; "))}keepalive 32; }}";
        static string Server(int port, string upstream) => $$"""
            server {
              listen 127.0.0.1:{{port}};
              location / {
                proxy_pass http://{{upstream}};
                proxy_http_version 1.1;
                proxy_set_header Connection "";
                proxy_set_header Host $host;
                proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                proxy_set_header X-Forwarded-Proto $scheme;
              }
            }
            """;
        var config = $$"""
            worker_processes 1;
            daemon off;
            pid {{folder}}/nginx.pid;
            error_log {{folder}}/error.log warn;
            events { worker_connections 1024; }
            http {
              access_log off;
              client_body_temp_path {{folder}}/body;
              proxy_temp_path {{folder}}/proxy;
              fastcgi_temp_path {{folder}}/fastcgi;
              uwsgi_temp_path {{folder}}/uwsgi;
              scgi_temp_path {{folder}}/scgi;
              {{Upstream("one", one)}}
              {{Upstream("two", two)}}
              {{Server(toOne, "one")}}
              {{Server(toTwo, "two")}}
            }
            """;
        var path = Path.Combine(folder, "nginx.conf");
        File.WriteAllText(path, config);
        var start = new ProcessStartInfo("/usr/sbin/nginx") { UseShellExecute = false };
        foreach (var a in new[] { "-c", path, "-p", folder, "-e", Path.Combine(folder, "error.log") }) start.ArgumentList.Add(a);
        return Process.Start(start)!;
    }

    private static void Stop(Process nginx)
    {
        try { nginx.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        nginx.WaitForExit(5_000);
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine($"error: {message}");
        return 1;
    }
}
