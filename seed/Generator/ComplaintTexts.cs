namespace Desk.Seed;

/// <summary>
/// Sentences customers and agents write, in English and Chinese, keyed by the top-level root cause so the
/// text of a demo complaint fits the cause it is later resolved with. Placeholders: {product}, {order},
/// {days}, {name}, {agent}.
/// </summary>
internal static class ComplaintTexts
{
    internal sealed record Lines(string[] Subjects, string[] Bodies);

    public static readonly Dictionary<string, Lines> En = new()
    {
        ["staff-attitude"] = new(
            ["Rude treatment at your store", "Your agent hung up on me", "Very disappointed with how I was spoken to"],
            ["When I asked about my {product} (order {order}), the assistant rolled her eyes and told me to read the manual. I have been a customer for years and have never been treated like this.",
             "I called three times about order {order}. The last person I spoke to was openly sarcastic and then ended the call. I expect an apology.",
             "I was told it was 'my own fault' that the {product} stopped working. Nobody even looked at it."]),
        ["out-of-stock"] = new(
            ["Ordered item is out of stock again", "Paid for {product} but it is unavailable", "Backorder never arrived"],
            ["Your site showed the {product} as in stock. {days} days after paying for order {order} I got an e-mail saying it is unavailable. Why take my money?",
             "This is the second time the {product} I ordered is suddenly out of stock. Please tell me when it will really ship.",
             "I was promised the backordered {product} within a week. It has been {days} days."]),
        ["poor-service"] = new(
            ["Still waiting for a solution", "Nobody follows up on my case", "Problem not fixed after two contacts"],
            ["I reported the problem with my {product} {days} days ago. Every time I call I have to explain everything again and nothing happens.",
             "You promised a call back about order {order} within 24 hours. That was {days} days ago.",
             "The repair of my {product} was supposed to fix the noise. It came back exactly as it was."]),
        ["untrained-staff"] = new(
            ["Wrong advice from your staff", "Your team does not know the product"],
            ["The assistant told me the {product} works with my setup. It does not, and now the return window has almost closed.",
             "Nobody in the shop could tell me how to set up the {product}. One person even contradicted the manual."]),
        ["product-quality"] = new(
            ["{product} broke after {days} days", "Defective {product}", "Not as described: {product}"],
            ["My {product} (order {order}) stopped working after only {days} days of normal use. I expect a replacement or my money back.",
             "The {product} arrived with a crack in the housing and a burning smell when switched on.",
             "The {product} looks nothing like the photos; the material feels cheap and the colour is wrong."]),
        ["poor-selection"] = new(
            ["Sizes always missing", "Hardly any choice left"],
            ["Every time I want to order the {product} my size is missing. I end up buying elsewhere.",
             "You used to have a wide range; now there are two models of {product} and both are the cheap ones."]),
        ["delivery"] = new(
            ["Order {order} not delivered", "Parcel arrived damaged", "Wrong item delivered"],
            ["Order {order} was due {days} days ago. Tracking has not moved since it left your warehouse.",
             "The box of my {product} was crushed and the item inside is broken.",
             "I ordered a {product} and received something completely different. Please collect it and send the right one."]),
        ["billing-price"] = new(
            ["Charged twice for order {order}", "Refund still not received", "Price changed after I paid"],
            ["My card was charged twice for order {order}. Please refund the duplicate payment immediately.",
             "You confirmed my refund {days} days ago and I still have not received it.",
             "The {product} was advertised at a lower price than I was charged at checkout."]),
        ["policy"] = new(
            ["Return refused", "Warranty claim rejected"],
            ["You refused to take back the unopened {product} because I was {days} days past your limit. That is unreasonable.",
             "The warranty claim for my {product} was rejected without any explanation."]),
        ["communication"] = new(
            ["No update on my complaint", "Contradicting information", "I cannot reach anyone"],
            ["I have had no news about order {order} for {days} days. A short update would have been enough.",
             "Your e-mail says one thing about my {product}, your hotline says the opposite. Which is it?",
             "Your phone line is always busy and nobody answers my e-mails about order {order}."]),
    };

    public static readonly Dictionary<string, Lines> Zh = new()
    {
        ["staff-attitude"] = new(
            ["门店员工态度恶劣", "客服挂断了我的电话", "对服务态度非常失望"],
            ["我询问{product}（订单{order}）的问题时，店员很不耐烦，让我自己看说明书。我是多年的老顾客，从没受过这样的对待。",
             "关于订单{order}我打了三次电话，最后一位客服语气讽刺，还直接挂断了电话。我要求道歉。"]),
        ["out-of-stock"] = new(
            ["订购的商品又缺货了", "已付款的{product}却无货"],
            ["网站显示{product}有货，付款{days}天后却通知我缺货。为什么还要先收我的钱？",
             "这已经是第二次我订的{product}突然缺货了，请告诉我到底什么时候能发货。"]),
        ["poor-service"] = new(
            ["问题一直没有解决", "没有人跟进我的投诉"],
            ["我{days}天前就反映了{product}的问题，每次打电话都要从头解释，却一直没有结果。",
             "你们承诺24小时内回电处理订单{order}，已经过去{days}天了。"]),
        ["untrained-staff"] = new(
            ["店员给了错误的建议", "员工不了解产品"],
            ["店员说{product}适用于我的设备，结果根本不能用，现在退货期都快过了。",
             "店里没有一个人知道{product}怎么安装，有人说的还和说明书相反。"]),
        ["product-quality"] = new(
            ["{product}用了{days}天就坏了", "{product}有质量问题", "{product}与描述不符"],
            ["我的{product}（订单{order}）正常使用{days}天就坏了，请给我换货或退款。",
             "收到的{product}外壳有裂缝，一通电就有焦味。"]),
        ["poor-selection"] = new(
            ["总是缺少尺码", "可选的款式太少"],
            ["每次想买{product}都没有我的尺码，只好去别家买。",
             "以前品种很多，现在{product}只剩两个便宜的型号。"]),
        ["delivery"] = new(
            ["订单{order}一直未送达", "包裹到货时已损坏", "发错了商品"],
            ["订单{order}应该{days}天前送到，物流信息出库后就再没更新过。",
             "{product}的包装被压坏了，里面的商品也坏了。",
             "我订的是{product}，收到的却完全是另一样东西，请上门取件并补发。"]),
        ["billing-price"] = new(
            ["订单{order}被重复扣款", "退款迟迟未到账"],
            ["订单{order}我的银行卡被扣了两次款，请立即退还重复的款项。",
             "你们{days}天前就确认退款了，我到现在还没收到。"]),
        ["policy"] = new(
            ["退货被拒绝", "保修申请被驳回"],
            ["未拆封的{product}只超过期限{days}天你们就拒绝退货，太不合理了。",
             "我的{product}保修申请被驳回，没有任何解释。"]),
        ["communication"] = new(
            ["投诉没有任何进展通知", "得到的信息前后矛盾"],
            ["订单{order}已经{days}天没有任何消息了，哪怕简单通知一下也好。",
             "邮件里说的和客服电话里说的完全相反，到底哪个是对的？"]),
    };

    public static readonly string[] SuggestionsEn =
        ["It would help to get an SMS when my {product} ships.", "Please offer gift wrapping for the {product}.", "Could you add a size guide to the {product} page?"];
    public static readonly string[] SuggestionsZh =
        ["希望{product}发货时能短信通知我。", "建议为{product}提供礼品包装。"];
    public static readonly string[] ComplimentsEn =
        ["{agent} sorted out my {product} problem in one call. Thank you!", "Fast delivery and the {product} is great."];
    public static readonly string[] ComplimentsZh =
        ["客服{agent}一次就解决了我{product}的问题，非常感谢！", "发货很快，{product}质量很好。"];
    public static readonly string[] QuestionsEn =
        ["Is the {product} compatible with 110 V?", "How long is the warranty on the {product}?"];
    public static readonly string[] QuestionsZh =
        ["{product}的保修期是多久？", "{product}可以开发票吗？"];

    public static readonly string[] RepliesEn =
        ["Dear {name}, thank you for telling us, and I am sorry about this. I am looking into order {order} now and will come back to you shortly. — {agent}",
         "Hello {name}, I have passed this to our warehouse and will update you as soon as I hear back. — {agent}"];
    public static readonly string[] RepliesZh =
        ["{name}您好，非常抱歉给您带来不便。我正在核查订单{order}，会尽快回复您。——{agent}",
         "{name}您好，我已经联系仓库，有消息会第一时间通知您。——{agent}"];
    public static readonly string[] QuestionsToCustomerEn =
        ["Could you send us a photo of the {product} and the label on the box?", "Which address was order {order} shipped to?"];
    public static readonly string[] QuestionsToCustomerZh =
        ["能否发一张{product}及包装标签的照片给我们？", "订单{order}的收货地址是哪里？"];
    public static readonly string[] AnswersEn =
        ["Photos attached. The label says batch 7.", "It went to my office address, the one on the invoice."];
    public static readonly string[] AnswersZh =
        ["照片已附上，标签上写的是第7批次。", "寄到了我公司的地址，就是发票上的那个。"];
    public static readonly string[] DecisionsEn =
        ["Dear {name}, we have issued the remedy for order {order}. If you are not satisfied you can reply to this e-mail or contact the consumer ombudsman. — {agent}"];
    public static readonly string[] DecisionsZh =
        ["{name}您好，订单{order}的补救措施已经办理。如仍不满意，您可以直接回复本邮件或向消费者协会反映。——{agent}"];
    public static readonly string[] ReopenEn = ["Sorry, but this is still not fixed.", "The replacement has the same problem."];
    public static readonly string[] ReopenZh = ["抱歉，问题仍然没有解决。", "换来的商品还是同样的问题。"];
    public static readonly string[] NotesEn = ["Checked with the warehouse: parcel left on time.", "Customer has ordered every month for two years."];
    public static readonly string[] NotesZh = ["已和仓库确认，包裹按时发出。", "该顾客两年来每月都有下单。"];
}
