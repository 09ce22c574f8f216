using Desk.Web.Data;
using Desk.Web.DemoData;
using Desk.Web.Email;
using Desk.Web.Features;
using Desk.Web.Features.Api;
using Desk.Web.Features.Arrival;
using Desk.Web.Features.Bulk;
using Desk.Web.Features.Customers;
using Desk.Web.Features.Digest;
using Desk.Web.Features.FollowUps;
using Desk.Web.Features.Import;
using Desk.Web.Features.Intake;
using Desk.Web.Features.Live;
using Desk.Web.Features.Notifications;
using Desk.Web.Features.Orders;
using Desk.Web.Features.Privacy;
using Desk.Web.Features.Reports;
using Desk.Web.Features.Public;
using Desk.Web.Features.Tags;
using Desk.Web.Features.Tickets;
using Desk.Web.Features.Webhooks;
using Desk.Web.Features.WinBackMail;
using Desk.Web.Health;
using Desk.Web.Identity;
using Desk.Web.Operations;

// Settings are read once at start (a changed appsettings.json takes a restart). Watching it for changes watched the
// whole content root, mail/ folders included: every mail file in or out woke the watcher, 7 % of intake's CPU.
var builder = WebApplication.CreateBuilder(["--hostBuilder:reloadConfigOnChange=false", .. args]);

builder.AddDeskDatabase();
builder.AddDeskForwardedHeaders();
builder.AddDeskIdentity();
builder.AddDemoData();
builder.AddDeskHealthChecks();
builder.AddDeskMetrics();
builder.AddDeskTracing();
builder.AddDeskPages();
builder.AddDeskArrivals();
builder.AddDeskTickets();
builder.AddDeskLive();
builder.AddDeskIntake();
builder.AddDeskBulk();
builder.AddDeskTags();
builder.AddPublicComplaints();
builder.AddDeskEmail();
builder.AddDeskOrders();
builder.AddDeskHistoryImport();
builder.AddDeskLoyalty();
builder.AddDeskFollowUps();
builder.AddDeskReports();
builder.AddDeskWinBackMail();
builder.AddDeskApi();
builder.AddDeskPrivacy();
builder.AddDeskNotifications();
builder.AddDeskDigest();
builder.AddDeskWebhooks();

var app = builder.Build();

app.UseDeskForwardedHeaders();
app.UseDeskPages();
app.MapDeskHealthChecks();
app.MapDeskMetrics();
app.MapDeskApi();
app.MapDeskLive();
// Backup and restore work on the database as it is: no migration, no demo data (restore replaces the file anyway).
if (args is [BackupCommand.Name, .. var backup])
    return await BackupCommand.RunAsync(app.Services, backup, Console.Out);
if (args is [RestoreCommand.Name, .. var restore])
    return await RestoreCommand.RunAsync(app.Services, restore, Console.Out);
await app.PrepareDatabaseAsync(demoData: args is not [CreateAdminCommand.Name or ImportOrdersCommand.Name or EndSessionsCommand.Name or ImportHistoryCommand.Name, ..]);

if (args is [CreateAdminCommand.Name, .. var rest])
    return await CreateAdminCommand.RunAsync(app.Services, rest, Console.In, Console.Out);
if (args is [EndSessionsCommand.Name, .. var who])
    return await EndSessionsCommand.RunAsync(app.Services, who, Console.Out);
if (args is [ImportOrdersCommand.Name, .. var files])
    return await ImportOrdersCommand.RunAsync(app.Services, files, Console.Out);
if (args is [ImportHistoryCommand.Name, .. var export])
    return await ImportHistoryCommand.RunAsync(app.Services, export, Console.Out);

app.Run();
return 0;

/// <summary>The web app's entry point; public so integration tests can host it.</summary>
public partial class Program;
