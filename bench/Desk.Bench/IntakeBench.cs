using System.Diagnostics;
using System.Globalization;
using System.Text;
using Desk.Web.Email.Intake;
using Microsoft.EntityFrameworkCore;
using MimeKit;

namespace Desk.Bench;

/// <summary>
/// <c>dotnet run -c Release --project bench/Desk.Bench -- intake [--mails 2000] [--provider sqlite|postgres] [--connection CS]</c>
/// Mail intake speed: realistic mails (10–50 KB, text and HTML, one attachment, a quarter in Chinese) parsed and decoded
/// by MimeKit alone, then taken in by the Release desk from its drop folder into committed, searchable tickets — both in
/// the same run, so their ratio says what the desk's own work costs. Each desk starts on a database of its own, made for
/// the run and gone after it (see <see cref="BenchDatabase.FreshAsync"/>).
/// </summary>
public static class IntakeBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var count = QueueBench.IntArg(args, "--mails", 2_000);
        var folder = Path.Combine(Path.GetTempPath(), "desk-intake-bench-" + Guid.NewGuid().ToString("N"));
        var staging = Path.Combine(folder, "staging");
        var inbox = Path.Combine(folder, "inbox");
        Directory.CreateDirectory(staging);
        Directory.CreateDirectory(inbox);
        BenchDatabase db;
        try
        {
            db = await BenchDatabase.FreshAsync(args, Path.Combine(folder, "desk.db"), "desk_intake_bench");
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return Fail(e.Message);
        }
        try
        {
            // A desk runs for days: the first mails of a fresh process pay for the JIT (a quarter of them ran unoptimised
            // code), so a warm-up batch goes first and is not counted.
            var warm = Math.Max(200, count / 4);
            var warming = Path.Combine(folder, "warming");
            Directory.CreateDirectory(warming);
            Console.WriteLine($"Writing {count:N0} mails (10–50 KB, one attachment each) and {warm:N0} for warming up …");
            var random = new Random(20261123);
            long bytes = 0;
            var raws = new List<byte[]>(warm + count);
            for (var i = 0; i < warm + count; i++)
            {
                var raw = Mail(i, random);
                raws.Add(raw);
                if (i >= warm) bytes += raw.Length;
                await File.WriteAllBytesAsync(Path.Combine(i < warm ? warming : staging, $"mail-{i:D6}.eml"), raw);
            }
            Console.WriteLine($"  {bytes / 1024.0 / count:N1} KB a mail on average");
            if (QueueBench.StringArg(args, "--write-only", "") is { Length: > 0 } only) // the same mails for a profiler or a person to feed a desk by hand
            {
                Directory.CreateDirectory(only);
                foreach (var file in Directory.EnumerateFiles(staging)) File.Move(file, Path.Combine(only, Path.GetFileName(file)), overwrite: true);
                Console.WriteLine($"  written to {only}");
                return 0;
            }

            BenchResults.WarnIfBusy("intake is measured");
            MailContent.RegisterEncodings();
            var measured = raws.Skip(warm).ToList();
            ParseOnly(measured); // warm-up: the JIT's second tier
            var parse = ParseOnly(measured);

            var web = Path.Combine(AppContext.BaseDirectory, "Desk.Web.dll");
            var port = QueueBench.FreePort();
            var environment = new Dictionary<string, string>(db.WebEnvironment())
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Production",
                ["Desk__DemoData__SeedOnFirstRun"] = "false",
                ["Desk__Mail__DropFolder"] = inbox,
                ["Desk__Mail__PickupFolder"] = Path.Combine(folder, "outbox"),
                ["Desk__Mail__AcknowledgementsPerAddressPerHour"] = "1000",
                ["Logging__LogLevel__Default"] = "Warning",
            };
            using var server = QueueBench.Start(web, ["--urls", $"http://127.0.0.1:{port}"], environment);
            try
            {
                await QueueBench.WaitHealthyAsync($"http://127.0.0.1:{port}");
                foreach (var file in Directory.EnumerateFiles(warming)) File.Move(file, Path.Combine(inbox, Path.GetFileName(file)));
                while (await db.CountOrZeroAsync(InboundMails) < warm)
                    await Task.Delay(50);
                var started = Stopwatch.GetTimestamp();
                foreach (var file in Directory.EnumerateFiles(staging)) File.Move(file, Path.Combine(inbox, Path.GetFileName(file)));
                long taken = 0;
                var lastReport = started;
                while ((taken = await db.CountOrZeroAsync(InboundMails) - warm) < count)
                {
                    await Task.Delay(50);
                    if (Stopwatch.GetElapsedTime(lastReport).TotalSeconds >= 5)
                    {
                        Console.WriteLine($"  {taken:N0} / {count:N0} taken in …");
                        lastReport = Stopwatch.GetTimestamp();
                    }
                    if (Stopwatch.GetElapsedTime(started).TotalMinutes > 30) return Fail("intake did not finish within 30 minutes");
                }
                var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
                var perSecond = count / seconds;
                long searchable;
                await using (var reader = db.NewReader()) searchable = await reader.TicketSearch("crushed").CountAsync(); // the desk's own search
                Console.WriteLine();
                Console.WriteLine($"Mail intake on {db.Provider.Name}, {count:N0} mails, Release build, {Environment.ProcessorCount} cores ({QueueBench.Cpu()})");
                Console.WriteLine($"  MimeKit parse and decode only      {parse,8:N0} mails/s");
                Console.WriteLine($"  drop folder → committed tickets    {perSecond,8:N0} mails/s   ({perSecond / parse:P0} of parse-only, after {warm:N0} to warm up; {await db.CountAsync(Tickets):N0} tickets, {searchable:N0} found by search, {await db.CountAsync(QuarantinedMails)} quarantined)");
                BenchResults.Print("intake_run", ("mails", count), ("warm_up", warm), ("kib_each", bytes / 1024.0 / count));
                BenchResults.Print("parse_only", ("per_s", parse));
                BenchResults.Print("intake_drop", ("per_s", perSecond), ("share", perSecond / parse));
                await BigAndBrokenAsync(db, inbox, staging, random, perSecond);
            }
            finally
            {
                server.Kill(entireProcessTree: true);
            }
            return await ImapAsync(args, folder, raws, warm, parse);
        }
        finally
        {
            await db.DropAsync();
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>
    /// The same mails from an IMAP mailbox (Dovecot from scripts/mailstack, on 127.0.0.1): appended at once, then taken
    /// in by a fresh desk; then, with the desk idle in IMAP IDLE, single mails sent over SMTP timed from the SMTP
    /// server's 250 to the committed ticket.
    /// </summary>
    private static async Task<int> ImapAsync(string[] args, string folder, List<byte[]> raws, int warm, double parse)
    {
        var script = QueueBench.FindScript("mailstack");
        if (!OperatingSystem.IsLinux() || script is null || !File.Exists("/usr/sbin/exim4") || !File.Exists("/usr/sbin/dovecot") || Environment.UserName != "root")
        {
            Console.WriteLine("  IMAP: skipped (needs root and Exim + Dovecot: sudo scripts/mailstack install)");
            return 0;
        }
        var stackDir = Path.Combine(folder, "stack");
        Directory.CreateDirectory(stackDir);
        File.SetUnixFileMode(folder, (UnixFileMode)Convert.ToInt32("755", 8));
        File.SetUnixFileMode(stackDir, (UnixFileMode)Convert.ToInt32("755", 8));
        var ports = (await Shell(script, "start", stackDir)).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(l => l.Contains('=')).ToDictionary(l => l[..l.IndexOf('=')], l => l[(l.IndexOf('=') + 1)..]);
        try
        {
            const string desk = "desk@desk.test", password = "Bench-Mail-1";
            await Shell(script, "add-user", stackDir, desk, password, "ana@customer.test", password);
            var imapPort = int.Parse(ports["IMAP_PORT"], CultureInfo.InvariantCulture);
            var smtpPort = int.Parse(ports["SMTP_PORT"], CultureInfo.InvariantCulture);
            using (var imap = new MailKit.Net.Imap.ImapClient())
            {
                await imap.ConnectAsync("127.0.0.1", imapPort, MailKit.Security.SecureSocketOptions.None);
                await imap.AuthenticateAsync(desk, password);
                foreach (var raw in raws) await imap.Inbox.AppendAsync(new MailKit.AppendRequest(MimeMessage.Load(new MemoryStream(raw))));
                await imap.DisconnectAsync(true);
            }

            var db = await BenchDatabase.FreshAsync(args, Path.Combine(folder, "imap.db"), "desk_intake_imap_bench");
            var port = QueueBench.FreePort();
            var environment = new Dictionary<string, string>(db.WebEnvironment())
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Production",
                ["Desk__DemoData__SeedOnFirstRun"] = "false",
                ["Desk__Mail__Address"] = desk,
                ["Desk__Mail__Mailboxes__0__Host"] = "127.0.0.1",
                ["Desk__Mail__Mailboxes__0__Port"] = imapPort.ToString(CultureInfo.InvariantCulture),
                ["Desk__Mail__Mailboxes__0__Security"] = "None",
                ["Desk__Mail__Mailboxes__0__User"] = desk,
                ["Desk__Mail__Mailboxes__0__Password"] = password,
                ["Desk__Mail__PickupFolder"] = Path.Combine(folder, "outbox-imap"),
                ["Desk__Mail__AcknowledgementsPerAddressPerHour"] = "1000",
                ["Logging__LogLevel__Default"] = "Warning",
            };
            using var server = QueueBench.Start(Path.Combine(AppContext.BaseDirectory, "Desk.Web.dll"), ["--urls", $"http://127.0.0.1:{port}"], environment);
            try
            {
                var begun = Stopwatch.GetTimestamp();
                while (await db.CountOrZeroAsync(InboundMails) < warm) // the desk starts and warms up on the first ones
                {
                    await Task.Delay(20);
                    if (Stopwatch.GetElapsedTime(begun).TotalMinutes > 10) return Fail("IMAP intake did not start within 10 minutes");
                }
                var started = Stopwatch.GetTimestamp();
                var startedAt = await db.CountAsync(InboundMails);
                while (await db.CountAsync(InboundMails) < raws.Count)
                {
                    await Task.Delay(20);
                    if (Stopwatch.GetElapsedTime(started).TotalMinutes > 30) return Fail("IMAP intake did not finish within 30 minutes");
                }
                var perSecond = (raws.Count - startedAt) / Stopwatch.GetElapsedTime(started).TotalSeconds;
                Console.WriteLine($"  IMAP → committed tickets           {perSecond,8:N0} mails/s   ({perSecond / parse:P0} of parse-only, after {startedAt:N0} to start and warm up)");
                BenchResults.Print("intake_imap", ("per_s", perSecond), ("share", perSecond / parse));

                var latencies = new List<double>();
                var lost = 0;
                using var smtp = new MailKit.Net.Smtp.SmtpClient();
                await smtp.ConnectAsync("127.0.0.1", smtpPort, MailKit.Security.SecureSocketOptions.None);
                for (var i = 0; i < 100; i++)
                {
                    var mail = new MimeMessage { Subject = $"Latency {i}", MessageId = $"latency-{i}-{Guid.NewGuid():N}@customer.test", Body = new TextPart("plain") { Text = "The parcel is late." } };
                    mail.From.Add(new MailboxAddress("Ana", "ana@customer.test"));
                    mail.To.Add(new MailboxAddress("Desk", desk));
                    await smtp.SendAsync(mail);
                    var sent = Stopwatch.GetTimestamp();
                    while (await db.CountAsync(InboundMails + " WHERE \"MessageId\" = @id", ("id", mail.MessageId)) == 0)
                    {
                        await Task.Delay(5);
                        if (Stopwatch.GetElapsedTime(sent).TotalSeconds > 30) break;
                    }
                    if (Stopwatch.GetElapsedTime(sent).TotalSeconds > 30) lost++; // not in within 30 s: counted, and the next one goes
                    else latencies.Add(Stopwatch.GetElapsedTime(sent).TotalMilliseconds);
                }
                await smtp.DisconnectAsync(true);
                latencies.Sort();
                // A mail not in within 30 s is slower than every one that was: with any lost, the p99 is not known.
                double At(int rank) => rank < latencies.Count ? latencies[rank] : double.NaN;
                Console.WriteLine($"  arrival to visible (SMTP 250 → committed ticket, IMAP IDLE), 100 single mails: p50 {At(49):N0} ms, p99 {At(98):N0} ms, max {(lost > 0 ? "over 30 s" : $"{latencies[^1]:N0} ms")}"
                    + (lost > 0 ? $"; {lost} not in within 30 s" : ""));
                BenchResults.Print("idle_latency", ("p50_ms", At(49)), ("p99_ms", lost > 0 ? double.NaN : At(98)), ("arrived", latencies.Count));
                return 0;
            }
            finally
            {
                server.Kill(entireProcessTree: true);
                await db.DropAsync();
            }
        }
        finally
        {
            await Shell(script, "stop", stackDir);
        }
    }

    /// <summary>
    /// One 25 MB mail and one that fails while being stored, dropped just before 100 ordinary mails: how long the 100
    /// take to be in, beside what 100 take on their own at the measured rate.
    /// </summary>
    private static async Task BigAndBrokenAsync(BenchDatabase db, string inbox, string staging, Random random, double perSecond)
    {
        var big = new BodyBuilder { TextBody = "The video of the broken delivery is attached." };
        var video = new byte[18 * 1024 * 1024]; // 25 MB once base64-encoded
        random.NextBytes(video);
        big.Attachments.Add("delivery.mp4", video, new ContentType("video", "mp4"));
        var bigMail = new MimeMessage { Subject = "Video of the damage", MessageId = $"big-{Guid.NewGuid():N}@customer.test", Body = big.ToMessageBody() };
        bigMail.From.Add(new MailboxAddress("Big", "big@customer.test"));
        bigMail.To.Add(new MailboxAddress("Desk", "support@desk.local"));
        await using (var file = File.Create(Path.Combine(staging, "a-big.eml"))) await bigMail.WriteToAsync(file);
        // Parses, but its sender cannot be a customer (a quoted local part with a space): it fails inside the write transaction.
        await File.WriteAllTextAsync(Path.Combine(staging, "a-broken.eml"), "From: Odd <\"odd one\"@customer.test>\r\nTo: support@desk.local\r\n" +
            $"Subject: Odd sender\r\nMessage-ID: <broken-{Guid.NewGuid():N}@customer.test>\r\n\r\nHello\r\n");
        for (var i = 0; i < 100; i++)
            await File.WriteAllBytesAsync(Path.Combine(staging, $"b-small-{i:D3}.eml"), Mail(900_000 + i, random));
        var megabytes = new FileInfo(Path.Combine(staging, "a-big.eml")).Length / 1024.0 / 1024.0;

        var before = await db.CountAsync(InboundMails);
        var quarantined = await db.CountAsync(QuarantinedMails);
        var started = Stopwatch.GetTimestamp();
        foreach (var file in Directory.EnumerateFiles(staging).Order(StringComparer.Ordinal)) File.Move(file, Path.Combine(inbox, Path.GetFileName(file)));
        while (await db.CountAsync(InboundMails) < before + 101 || await db.CountAsync(QuarantinedMails) <= quarantined)
        {
            await Task.Delay(20);
            if (Stopwatch.GetElapsedTime(started).TotalMinutes > 5) { Console.WriteLine("  big and broken mail: not all in within 5 minutes"); return; }
        }
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        Console.WriteLine($"  one {megabytes:N0} MB mail and one failing mail ahead of 100 mails: all in after {seconds:N1} s (100 alone: {100 / perSecond:N1} s)");
    }

    private static async Task<string> Shell(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{program} {string.Join(' ', args)}: {await error}");
        return await output;
    }

    private static double ParseOnly(List<byte[]> raws)
    {
        var started = Stopwatch.GetTimestamp();
        foreach (var raw in raws) MailContent.Extract(MailContent.Parse(raw));
        return raws.Count / Stopwatch.GetElapsedTime(started).TotalSeconds;
    }

    private static readonly string[] English =
    [
        "The parcel arrived late and the box was crushed.", "I have waited two weeks for a refund that was promised within five days.",
        "The kettle leaks from the base when it is full.", "Your courier left the package in the rain.", "Nobody answered my two calls.",
    ];
    private static readonly string[] Chinese = ["快递延误了一周，包装也被压坏了。", "承诺五天内退款，但我已经等了两个星期。", "水壶装满水后底部漏水。", "客服电话打了两次都没人接。"];

    /// <summary>A customer's complaint as a client sends it: text and HTML alternatives, one attachment, 10–50 KB in all.</summary>
    private static byte[] Mail(int n, Random random)
    {
        var chinese = n % 4 == 0;
        var text = new StringBuilder();
        var size = random.Next(2_000, 8_000);
        while (text.Length < size)
            text.Append(chinese ? Chinese[random.Next(Chinese.Length)] : English[random.Next(English.Length)]).Append(random.Next(6) == 0 ? "\n\n" : " ");
        var body = new BodyBuilder
        {
            TextBody = text.ToString(),
            HtmlBody = "<html><body><div>" + string.Join("</div><div>", text.ToString().Split("\n\n")) + "</div></body></html>",
        };
        var attachment = new byte[random.Next(4_000, 28_000)];
        random.NextBytes(attachment);
        "%PDF-1.7\n"u8.CopyTo(attachment);
        body.Attachments.Add($"receipt-{n}.pdf", attachment, new ContentType("application", "pdf"));
        var message = new MimeMessage
        {
            Subject = chinese ? $"投诉 {n}：快递问题" : $"Complaint {n}: the parcel was crushed",
            MessageId = $"bench-{n}-{random.Next():x}@customer.test",
            Date = DateTimeOffset.UtcNow,
            Body = body.ToMessageBody(),
        };
        message.From.Add(new MailboxAddress(chinese ? $"顾客{n}" : $"Customer {n}", $"customer{n % 500}@customer.test"));
        message.To.Add(new MailboxAddress("Desk", "support@desk.local"));
        using var buffer = new MemoryStream();
        message.WriteTo(buffer);
        return buffer.ToArray();
    }

    private const string InboundMails = "SELECT count(*) FROM \"InboundMails\"";
    private const string QuarantinedMails = "SELECT count(*) FROM \"QuarantinedMails\"";
    private const string Tickets = "SELECT count(*) FROM \"Tickets\"";

    private static int Fail(string message)
    {
        Console.Error.WriteLine("Intake bench: " + message);
        return 1;
    }
}
