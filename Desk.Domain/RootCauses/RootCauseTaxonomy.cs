namespace Desk.Domain.RootCauses;

/// <summary>
/// The starting taxonomy: the leaky bucket's holes (rudeness, out of stock, poor service, untrained
/// staff, product quality, poor selection) plus delivery, billing and price, policy and communication.
/// Ids are fixed so every desk starts from the same numbering; admins add their own from 1000 up.
/// </summary>
public static class RootCauseTaxonomy
{
    public const int FirstCustomId = 1000;

    private static readonly (string Code, string Name, string NameZh, (string Code, string Name, string NameZh)[] Children)[] Tree =
    [
        ("staff-attitude", "Staff attitude / rudeness", "员工态度 / 粗鲁",
            [("rude", "Rude or dismissive staff", "员工粗鲁或敷衍"), ("ignored", "Customer ignored or kept waiting", "顾客被忽视或久等"), ("blame", "Blamed the customer", "指责顾客")]),
        ("out-of-stock", "Out of stock", "缺货",
            [("unavailable", "Item unavailable", "商品无货"), ("backorder", "Backorder not honoured", "预订未兑现"), ("wrong-availability", "Wrong availability shown", "库存信息错误")]),
        ("poor-service", "Poor service", "服务差",
            [("slow", "Slow service", "服务慢"), ("not-resolved", "Problem not solved first time", "问题未一次解决"), ("promise-broken", "Promise not kept", "承诺未兑现")]),
        ("untrained-staff", "Untrained staff", "员工培训不足",
            [("wrong-advice", "Wrong advice given", "给出错误建议"), ("no-product-knowledge", "No product knowledge", "缺乏产品知识")]),
        ("product-quality", "Product quality", "产品质量",
            [("defective", "Defective on arrival", "到货即损坏"), ("broke-early", "Broke within weeks", "短期内损坏"), ("not-as-described", "Not as described", "与描述不符")]),
        ("poor-selection", "Poor selection", "选择少",
            [("missing-sizes", "Sizes or variants missing", "缺少尺码或款式"), ("range-too-narrow", "Range too narrow", "品类太少")]),
        ("delivery", "Delivery", "配送",
            [("late", "Late delivery", "配送延迟"), ("damaged", "Damaged in transit", "运输中损坏"), ("lost", "Lost parcel", "包裹丢失"), ("wrong-item", "Wrong item sent", "发错商品")]),
        ("billing-price", "Billing and price", "账单与价格",
            [("overcharged", "Overcharged or charged twice", "多收费或重复收费"), ("refund-delay", "Refund slow to arrive", "退款迟缓"), ("price-too-high", "Price seen as too high", "价格过高")]),
        ("policy", "Policy", "政策",
            [("returns-policy", "Returns policy too strict", "退货政策过严"), ("warranty", "Warranty refused", "保修被拒")]),
        ("communication", "Communication", "沟通",
            [("no-update", "No status update", "没有进度通知"), ("unclear", "Unclear or contradictory information", "信息不清或矛盾"), ("unreachable", "Hard to reach us", "难以联系")]),
    ];

    /// <summary>Every default cause: each top-level one (id 10, 20, …) followed by its children (11, 12, …).</summary>
    public static IReadOnlyList<RootCause> Default { get; } = Build();

    private static List<RootCause> Build()
    {
        var all = new List<RootCause>();
        for (var i = 0; i < Tree.Length; i++)
        {
            var (code, name, nameZh, children) = Tree[i];
            var parentId = (i + 1) * 10;
            all.Add(new RootCause(parentId, code, name, nameZh, null, i));
            for (var j = 0; j < children.Length; j++)
            {
                var child = children[j];
                all.Add(new RootCause(parentId + j + 1, $"{code}/{child.Code}", child.Name, child.NameZh, parentId, j));
            }
        }
        return all;
    }
}
