//! Products: create, query, list, update, delete, and product tags.

use super::{obj, Ctx, Handler, Outcome};
use crate::state::{newest_first, Product};
use crate::wire::Failure;
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// The product handlers.
pub const HANDLERS: &[Handler] = &[
    Handler {
        product: "Iot",
        name: "CreateProduct",
        writes: true,
        run: create,
    },
    Handler {
        product: "Iot",
        name: "QueryProduct",
        writes: false,
        run: query,
    },
    Handler {
        product: "Iot",
        name: "QueryProductList",
        writes: false,
        run: list,
    },
    Handler {
        product: "Iot",
        name: "UpdateProduct",
        writes: true,
        run: update,
    },
    Handler {
        product: "Iot",
        name: "DeleteProduct",
        writes: true,
        run: delete,
    },
    Handler {
        product: "Iot",
        name: "CreateProductTags",
        writes: true,
        run: create_tags,
    },
    Handler {
        product: "Iot",
        name: "UpdateProductTags",
        writes: true,
        run: update_tags,
    },
    Handler {
        product: "Iot",
        name: "DeleteProductTags",
        writes: true,
        run: delete_tags,
    },
    Handler {
        product: "Iot",
        name: "ListProductTags",
        writes: false,
        run: list_tags,
    },
    Handler {
        product: "Iot",
        name: "ListProductByTags",
        writes: false,
        run: by_tags,
    },
];

/// The product as the query operations print it.
pub fn info(ctx: &Ctx, p: &Product) -> Value {
    let devices = ctx.state.product_device_count(&p.product_key);
    obj([
        ("ProductKey", json!(p.product_key)),
        ("ProductName", json!(p.product_name)),
        ("NodeType", json!(p.node_type)),
        ("DataFormat", p.data_format.map_or(Value::Null, Value::from)),
        (
            "Description",
            p.description.clone().map_or(Value::Null, Value::from),
        ),
        (
            "AliyunCommodityCode",
            p.aliyun_commodity_code
                .clone()
                .map_or(Value::Null, Value::from),
        ),
        (
            "ProtocolType",
            p.protocol_type.clone().map_or(Value::Null, Value::from),
        ),
        ("Id2", p.id2.map_or(Value::Null, Value::from)),
        ("ProductSecret", json!(p.product_secret)),
        ("GmtCreate", json!(p.gmt_create)),
        ("CreateTime", json!(p.gmt_create)),
        ("DeviceCount", json!(devices)),
    ])
}

fn tags_of(ctx: &Ctx) -> Vec<(String, String)> {
    ctx.tags(&["ProductTags", "ProductTag"])
}

fn create(ctx: &mut Ctx) -> Outcome {
    let name = ctx.req("ProductName")?;
    if ctx.state.products.values().any(|p| p.product_name == name) {
        return Err(Failure::business("iot.prod.AlreadyExistedProductName"));
    }
    let node_type = ctx.int("NodeType")?.unwrap_or(0);
    let key = ctx.state.new_id("a1", 11);
    let secret = ctx.state.new_id("", 16);
    let created = ctx.state.next_number();
    let product = Product {
        product_key: key.clone(),
        product_name: name,
        node_type,
        data_format: ctx.int("DataFormat")?,
        description: ctx.get("Description").map(str::to_string),
        aliyun_commodity_code: ctx.get("AliyunCommodityCode").map(str::to_string),
        protocol_type: ctx.get("ProtocolType").map(str::to_string),
        net_type: ctx.get("NetType").map(str::to_string),
        id2: ctx.boolean("Id2")?,
        category_key: ctx.get("CategoryKey").map(str::to_string),
        join_permission_id: ctx.get("JoinPermissionId").map(str::to_string),
        product_secret: secret,
        gmt_create: ctx.now,
        created,
        tags: BTreeMap::new(),
    };
    let data = obj([
        (
            "Description",
            product.description.clone().map_or(Value::Null, Value::from),
        ),
        (
            "DataFormat",
            product.data_format.map_or(Value::Null, Value::from),
        ),
        (
            "ProtocolType",
            product
                .protocol_type
                .clone()
                .map_or(Value::Null, Value::from),
        ),
        ("ProductKey", json!(key)),
        ("NodeType", json!(node_type)),
        ("ProductName", json!(product.product_name)),
        (
            "AliyunCommodityCode",
            product
                .aliyun_commodity_code
                .clone()
                .map_or(Value::Null, Value::from),
        ),
    ]);
    ctx.state.products.insert(key.clone(), product);
    let mut out = ctx.created("Data", data);
    out.insert("ProductKey".into(), json!(key));
    Ok(out)
}

fn query(ctx: &mut Ctx) -> Outcome {
    let key = ctx.req("ProductKey")?;
    let product = ctx.product(&key)?.clone();
    let data = info(ctx, &product);
    Ok(ctx.respond("Data", data))
}

fn list(ctx: &mut Ctx) -> Outcome {
    let commodity = ctx.get("AliyunCommodityCode").map(str::to_string);
    let products = newest_first(
        ctx.state
            .products
            .values()
            .filter(|p| commodity.is_none() || p.aliyun_commodity_code == commodity),
        |p| (p.gmt_create, p.created),
    );
    let items: Vec<Value> = products.into_iter().map(|p| info(ctx, p)).collect();
    ctx.page(items)
}

fn update(ctx: &mut Ctx) -> Outcome {
    let key = ctx.req("ProductKey")?;
    ctx.product(&key)?;
    let name = ctx.get("ProductName").map(str::to_string);
    if let Some(n) = &name {
        if ctx
            .state
            .products
            .values()
            .any(|p| &p.product_name == n && p.product_key != key)
        {
            return Err(Failure::business("iot.prod.AlreadyExistedProductName"));
        }
    }
    let description = ctx.get("Description").map(str::to_string);
    if let Some(p) = ctx.state.products.get_mut(&key) {
        if let Some(n) = name {
            p.product_name = n;
        }
        if description.is_some() {
            p.description = description;
        }
    }
    Ok(ctx.template())
}

fn delete(ctx: &mut Ctx) -> Outcome {
    let key = ctx.req("ProductKey")?;
    ctx.product(&key)?;
    ctx.state.products.remove(&key);
    // Devices go with their product (the emulator does not keep orphans).
    let gone: Vec<String> = ctx
        .state
        .product_devices(&key)
        .map(|d| d.iot_id.clone())
        .collect();
    for id in &gone {
        super::devices::forget(ctx.state, id);
    }
    ctx.state.topics.retain(|_, t| t.product_key != key);
    Ok(ctx.template())
}

fn create_tags(ctx: &mut Ctx) -> Outcome {
    let key = ctx.req("ProductKey")?;
    ctx.product(&key)?;
    let tags = tags_of(ctx);
    if let Some(p) = ctx.state.products.get_mut(&key) {
        p.tags.extend(tags);
    }
    Ok(ctx.template())
}

fn update_tags(ctx: &mut Ctx) -> Outcome {
    let key = ctx.req("ProductKey")?;
    ctx.product(&key)?;
    let tags = tags_of(ctx);
    let mut invalid = Vec::new();
    if let Some(p) = ctx.state.products.get_mut(&key) {
        for (k, v) in tags {
            match p.tags.get_mut(&k) {
                Some(value) => *value = v,
                None => invalid.push(json!({"TagKey": k, "TagValue": v})),
            }
        }
    }
    let mut out = ctx.template();
    if !invalid.is_empty() {
        ctx.put(&mut out, "InvalidProductTags", Value::Array(invalid));
    }
    Ok(out)
}

fn delete_tags(ctx: &mut Ctx) -> Outcome {
    let key = ctx.req("ProductKey")?;
    ctx.product(&key)?;
    let keys = ctx.list(ctx.wire(&["ProductTagKeys", "ProductTagKey"]));
    if let Some(p) = ctx.state.products.get_mut(&key) {
        for k in keys {
            p.tags.remove(&k);
        }
    }
    Ok(ctx.template())
}

fn list_tags(ctx: &mut Ctx) -> Outcome {
    let key = ctx.req("ProductKey")?;
    let tags: Vec<Value> = ctx
        .product(&key)?
        .tags
        .iter()
        .map(|(k, v)| json!({"TagKey": k, "TagValue": v}))
        .collect();
    Ok(ctx.respond("Data", Value::Array(tags)))
}

fn by_tags(ctx: &mut Ctx) -> Outcome {
    let wanted = tags_of(ctx);
    let matching = newest_first(
        ctx.state
            .products
            .values()
            .filter(|p| super::has_any_tag(&p.tags, &wanted)),
        |p| (p.gmt_create, p.created),
    );
    let items: Vec<Value> = matching
        .into_iter()
        .map(|p| {
            obj([
                ("ProductKey", json!(p.product_key)),
                ("ProductName", json!(p.product_name)),
                ("NodeType", json!(p.node_type)),
                ("CreateTime", json!(p.gmt_create)),
                (
                    "Description",
                    p.description.clone().map_or(Value::Null, Value::from),
                ),
            ])
        })
        .collect();
    match ctx.op.pagination {
        Some(_) => ctx.page(items),
        None => Ok(ctx.respond("ProductInfos", Value::Array(items))),
    }
}
