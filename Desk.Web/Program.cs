using Desk.Web.Data;
using Desk.Web.DemoData;
using Desk.Web.Features;
using Desk.Web.Health;

var builder = WebApplication.CreateBuilder(args);

builder.AddDeskDatabase();
builder.AddDemoData();
builder.AddDeskHealthChecks();
builder.AddDeskPages();

var app = builder.Build();

app.UseDeskPages();
app.MapDeskHealthChecks();
await app.PrepareDatabaseAsync();

app.Run();

/// <summary>The web app's entry point; public so integration tests can host it.</summary>
public partial class Program;
