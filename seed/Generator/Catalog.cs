namespace Desk.Seed;

/// <summary>What the demo shop sells, and who works its desk.</summary>
internal static class Catalog
{
    internal sealed record Product(string Name, string NameZh, string Category, decimal MinPrice, decimal MaxPrice);

    public static readonly Product[] Products =
    [
        new("Espresso machine", "意式咖啡机", "Kitchen", 120m, 650m),
        new("Kettle", "电热水壶", "Kitchen", 18m, 60m),
        new("Blender", "搅拌机", "Kitchen", 35m, 180m),
        new("Non-stick pan", "不粘锅", "Kitchen", 15m, 70m),
        new("Rice cooker", "电饭煲", "Kitchen", 40m, 220m),
        new("Running shoes", "跑鞋", "Apparel", 45m, 160m),
        new("Rain jacket", "雨衣", "Apparel", 40m, 210m),
        new("Wool sweater", "羊毛衫", "Apparel", 30m, 120m),
        new("Cotton T-shirt", "棉质T恤", "Apparel", 8m, 30m),
        new("Wireless earbuds", "无线耳机", "Electronics", 25m, 250m),
        new("Smartwatch", "智能手表", "Electronics", 90m, 450m),
        new("Phone charger", "手机充电器", "Electronics", 9m, 45m),
        new("Laptop stand", "笔记本支架", "Electronics", 20m, 80m),
        new("4K monitor", "4K显示器", "Electronics", 180m, 900m),
        new("Office chair", "办公椅", "Furniture", 90m, 600m),
        new("Bookshelf", "书架", "Furniture", 60m, 300m),
        new("Desk lamp", "台灯", "Furniture", 15m, 90m),
        new("Face cream", "面霜", "Beauty", 12m, 95m),
        new("Shampoo set", "洗发水套装", "Beauty", 9m, 40m),
        new("Electric toothbrush", "电动牙刷", "Beauty", 25m, 140m),
        new("Board game", "桌游", "Toys", 20m, 75m),
        new("Building blocks", "积木", "Toys", 15m, 160m),
        new("Green tea gift box", "绿茶礼盒", "Food", 12m, 88m),
        new("Coffee beans 1 kg", "咖啡豆 1 公斤", "Food", 16m, 45m),
    ];

    /// <summary>Demo agents, by user name; the sign-in users of the demo carry the same names.</summary>
    public static readonly string[] Agents =
        ["alice", "bob", "carmen", "david", "wang.fang", "li.na", "zhang.wei", "chen.jing", "emma", "farid", "grace", "hiro"];

    public static readonly string[] EscalationReasons =
    [
        "Refund above the agent's limit", "Customer threatens to go public", "Third complaint about the same order",
        "Possible safety issue", "Supplier must answer", "退款金额超出权限", "顾客要求与主管沟通",
    ];
}
