using System.Globalization;
using Desk.Tests.Support;
using Desk.Web;
using Desk.Web.Data;
using Desk.Web.Email.Outbound;
using Desk.Web.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;

namespace Desk.Tests.Web;

/// <summary>
/// What a page needs and never changes while a desk runs is made once: the context's options, each text in each language,
/// a reply's sanitised HTML. Kept, each must still give exactly what making it anew gives.
/// </summary>
public sealed class KeptPagePartsTests(DeskWebFactory factory) : IClassFixture<DeskWebFactory>
{
    [Fact]
    public void ContextOptions_TwoRequests_AreTheSameOptionsWithEverySaveInterceptor()
    {
        using var first = factory.Services.CreateScope();
        using var second = factory.Services.CreateScope();
        var a = first.ServiceProvider.GetRequiredService<DeskDbContext>();
        var b = second.ServiceProvider.GetRequiredService<DeskDbContext>();

        Assert.NotSame(a, b);
        var options = a.GetService<Microsoft.EntityFrameworkCore.Infrastructure.IDbContextOptions>();
        Assert.Same(options, b.GetService<Microsoft.EntityFrameworkCore.Infrastructure.IDbContextOptions>());
        var interceptors = options.Extensions.OfType<Microsoft.EntityFrameworkCore.Infrastructure.CoreOptionsExtension>().Single().Interceptors!.ToList();
        foreach (var kept in DeskDbContext.SaveInterceptors.Append(factory.Services.GetRequiredService<Desk.Web.Features.Live.TicketChangeSignal>()))
            Assert.Contains(kept, interceptors);
    }

    [Theory]
    [InlineData("en", "Queue")]
    [InlineData("zh-CN", "Queue")]
    [InlineData("zh-CN", "Escalate to")]
    [InlineData("zh-CN", "A text no resource has")]
    public void KeptTexts_AskedTwice_GiveWhatTheResourceFilesGive(string culture, string name)
    {
        var kept = factory.Services.GetRequiredService<IStringLocalizer<SharedResource>>();
        var files = factory.Services.GetRequiredService<IStringLocalizerFactory>().Create(typeof(SharedResource));
        var before = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = new CultureInfo(culture);
        try
        {
            Assert.IsType<KeptStringLocalizer>(kept);
            var once = kept[name];
            var twice = kept[name];
            Assert.Same(once, twice); // kept, not looked up again
            Assert.Equal((files[name].Value, files[name].ResourceNotFound), (twice.Value, twice.ResourceNotFound));
            Assert.Equal(files["Done: {0}.", "x"].Value, kept["Done: {0}.", "x"].Value);
        }
        finally
        {
            CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = before;
        }
    }

    [Fact]
    public void KeptTexts_ChineseAndEnglish_AreKeptApart()
    {
        var kept = factory.Services.GetRequiredService<IStringLocalizer<SharedResource>>();
        var before = CultureInfo.CurrentUICulture;
        try
        {
            CultureInfo.CurrentUICulture = new CultureInfo("en");
            var english = kept["Queue"].Value;
            CultureInfo.CurrentUICulture = new CultureInfo("zh-CN");
            Assert.NotEqual(english, kept["Queue"].Value);
        }
        finally
        {
            CultureInfo.CurrentUICulture = before;
        }
    }

    [Fact]
    public void ReplyHtml_SameTextTwice_KeptAndSanitised()
    {
        var text = $"**Refund** sent <script>alert(1)</script> https://example.org/{Guid.NewGuid():N}";
        var once = ReplyMarkdown.ToSafeHtml(text);
        Assert.Same(once, ReplyMarkdown.ToSafeHtml(text));
        Assert.Contains("<strong>Refund</strong>", once);
        Assert.DoesNotContain("<script", once);
        Assert.NotSame(once, ReplyMarkdown.ToSafeHtml(text + " "));
    }
}

/// <summary>The queue's links carry every filter, encoded as ASP.NET Core's own query strings encode them.</summary>
public sealed class QueueLinkTests
{
    [Fact]
    public void ToQuery_EveryFilterAndDrillDown_EncodedAsQueryStringCreate()
    {
        var filter = new Desk.Web.Features.Queue.QueueFilter
        {
            View = "all", Severity = Desk.Domain.Tickets.Severity.Major, Assignee = "li.na", RootCause = 12, Q = "退款 & refund?",
            Tag = " 快递 ", From = new DateOnly(2026, 1, 2), Product = "Kettle 2000", Repeat = false,
            Sort = Desk.Web.Features.Queue.QueueSort.Due, Dir = Desk.Web.Features.Queue.SortDirection.Asc,
        };
        var pairs = new List<KeyValuePair<string, string?>>
        {
            new("view", "all"), new("severity", "Major"), new("assignee", "li.na"), new("rootCause", "12"), new("q", "退款 & refund?"), new("tag", "快递"),
        };
        pairs.AddRange(filter.DrillDownQuery());
        pairs.Add(new("after", "639000000000000000-7"));
        pairs.AddRange([new("sort", "Due"), new("dir", "Asc")]);
        var expected = Microsoft.AspNetCore.Http.QueryString.Create(pairs.Where(p => !string.IsNullOrEmpty(p.Value))).ToString();

        Assert.Equal(expected, filter.ToQuery(after: "639000000000000000-7"));
        Assert.Contains("repeat=false", expected); // the drill-down is in it
        Assert.Equal("?view=open", filter.ToQuery(view: "open").Split('&')[0]);
        Assert.DoesNotContain("sort=", filter.ToQuery(view: "open")); // another view starts in its own order
    }
}
