//! Cost sharing (応分負担): how a project's costs are divided between participants
//! (`allocate`), what each saves against buying alone, and what changes if one more
//! municipality joins (`if_one_more_joins`).
//!
//! All amounts are whole yen in `i64`. The shared base cost is divided with the largest
//! remainder method (Hamilton / 最大剰余方式), so shares always add up exactly to the base
//! cost, to the yen.

use crate::i18n::Lang;
use serde::{Deserialize, Serialize};
use std::cmp::Reverse;

/// Largest amount accepted anywhere in a plan or contract: 10^13 yen (10兆円).
pub const MAX_YEN: i64 = 10_000_000_000_000;
/// Most price tiers a plan may have.
pub const MAX_TIERS: usize = 10;

/// How the shared base cost is divided (按分方法).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SplitKey {
    /// 均等割: the same share for every participant (default).
    #[default]
    Equal,
    /// 人口割: in proportion to each participant's population.
    Population,
    /// 数量割: in proportion to each participant's quantity.
    Quantity,
}

impl SplitKey {
    /// Every key, in display order.
    pub const ALL: [SplitKey; 3] = [SplitKey::Equal, SplitKey::Population, SplitKey::Quantity];

    /// Stable snake_case code (database value, form value, serde name).
    pub fn code(self) -> &'static str {
        match self {
            SplitKey::Equal => "equal",
            SplitKey::Population => "population",
            SplitKey::Quantity => "quantity",
        }
    }

    /// Parses a `code()`; `None` for anything else.
    pub fn from_code(code: &str) -> Option<SplitKey> {
        SplitKey::ALL.into_iter().find(|k| k.code() == code)
    }

    /// Display label: 均等割 / "Equal split", ….
    pub fn label(self, lang: Lang) -> &'static str {
        let (ja, en) = match self {
            SplitKey::Equal => ("均等割", "Equal split"),
            SplitKey::Population => ("人口割", "By population"),
            SplitKey::Quantity => ("数量割", "By quantity"),
        };
        lang.pick(ja, en)
    }

    /// A participant's weight under this key: 1, its population, or its quantity.
    pub fn weight(self, participant: &Participant) -> u64 {
        match self {
            SplitKey::Equal => 1,
            SplitKey::Population => participant.population,
            SplitKey::Quantity => u64::from(participant.quantity),
        }
    }
}

/// One step of a volume price list (数量単価): when the total quantity across all
/// participants reaches `min_total_quantity`, `unit_price_yen` applies to every unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PriceTier {
    /// Total units (all participants together) from which this tier applies.
    pub min_total_quantity: u32,
    /// Price per unit in yen, 0 ..= [`MAX_YEN`].
    pub unit_price_yen: i64,
}

/// How a project's cost is made up and shared.
///
/// A participant pays `base share + quantity × unit price`:
/// - `base_cost_yen` (fixed costs: development, set-up, the shared contract) is divided by
///   `split` with the largest remainder method;
/// - `unit_prices` is a volume price list: the highest tier whose `min_total_quantity` the
///   total quantity reaches sets one unit price for every unit of every participant. Empty
///   means no usage cost. [`check`](CostPlan::check) requires the first tier to start at 0
///   or 1 so every quantity has a price;
/// - `reference_price_yen_per_unit` and `single_buyer_base_yen` describe what a
///   municipality would pay buying alone (単独調達時の価格), used to show the saving. Either
///   may be given alone; a missing part counts as ¥0.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct CostPlan {
    /// Shared fixed cost in yen, 0 ..= [`MAX_YEN`].
    pub base_cost_yen: i64,
    /// How `base_cost_yen` is divided.
    pub split: SplitKey,
    /// Volume price list, strictly increasing `min_total_quantity`, at most [`MAX_TIERS`].
    pub unit_prices: Vec<PriceTier>,
    /// Price per unit when buying alone, in yen, 0 ..= [`MAX_YEN`].
    pub reference_price_yen_per_unit: Option<i64>,
    /// Fixed cost when buying alone, in yen, 0 ..= [`MAX_YEN`].
    pub single_buyer_base_yen: Option<i64>,
}

impl CostPlan {
    /// Unit price in yen for a total quantity: the highest tier reached, or the first tier if
    /// none is (only possible for an unchecked plan or a total of 0); `None` without tiers.
    pub fn unit_price_yen(&self, total_quantity: u64) -> Option<i64> {
        self.unit_prices
            .iter()
            .rev()
            .find(|t| u64::from(t.min_total_quantity) <= total_quantity)
            .or(self.unit_prices.first())
            .map(|t| t.unit_price_yen)
    }

    /// Validates the plan: every amount in `0 ..= MAX_YEN`; at most [`MAX_TIERS`] tiers; the
    /// first tier starts at 0 or 1; `min_total_quantity` strictly increasing. Returns the
    /// first problem found, in field order.
    pub fn check(&self) -> Result<(), CostError> {
        let amounts = [
            (CostField::BaseCostYen, Some(self.base_cost_yen)),
            (
                CostField::ReferencePriceYenPerUnit,
                self.reference_price_yen_per_unit,
            ),
            (CostField::SingleBuyerBaseYen, self.single_buyer_base_yen),
        ];
        for (field, amount) in amounts {
            if let Some(amount_yen) = amount.filter(|a| !(0..=MAX_YEN).contains(a)) {
                return Err(CostError::AmountOutOfRange { field, amount_yen });
            }
        }
        let count = self.unit_prices.len();
        if count > MAX_TIERS {
            return Err(CostError::TooManyTiers { count });
        }
        if let Some(first) = self
            .unit_prices
            .first()
            .filter(|t| t.min_total_quantity > 1)
        {
            return Err(CostError::FirstTierStart {
                min_total_quantity: first.min_total_quantity,
            });
        }
        for (i, pair) in self.unit_prices.windows(2).enumerate() {
            if pair[1].min_total_quantity <= pair[0].min_total_quantity {
                return Err(CostError::TiersNotIncreasing {
                    tier: i + 2,
                    min_total_quantity: pair[1].min_total_quantity,
                    previous: pair[0].min_total_quantity,
                });
            }
        }
        for (i, tier) in self.unit_prices.iter().enumerate() {
            if !(0..=MAX_YEN).contains(&tier.unit_price_yen) {
                return Err(CostError::TierPriceOutOfRange {
                    tier: i + 1,
                    amount_yen: tier.unit_price_yen,
                });
            }
        }
        Ok(())
    }
}

/// A participant as cost sharing sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Participant {
    /// 全国地方公共団体コード, 6 digits; breaks ties when distributing leftover yen.
    pub lg_code: String,
    /// Units taken, in the project's unit.
    pub quantity: u32,
    /// Resident population (住民基本台帳人口), for the population split.
    pub population: u64,
}

/// What one participant pays, in yen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Share {
    /// The participant's 全国地方公共団体コード.
    pub lg_code: String,
    /// Its part of `base_cost_yen`.
    pub base_share_yen: i64,
    /// `quantity × unit price` (0 without price tiers).
    pub usage_yen: i64,
    /// `base_share_yen + usage_yen`.
    pub total_yen: i64,
    /// What it would pay alone: `single_buyer_base_yen + reference_price_yen_per_unit ×
    /// quantity`; `None` when the plan gives neither.
    pub single_buyer_yen: Option<i64>,
    /// `single_buyer_yen − total_yen` (negative if joining costs more); `None` with it.
    pub saving_yen: Option<i64>,
}

/// Divides `amount_yen` between `parts` (`(lg_code, weight)`) in proportion to the weights
/// by the largest remainder method, returning the amounts in the order of `parts`.
///
/// Each part first gets `floor(amount × weight / Σweight)`, computed exactly in `i128`; the
/// yen left over (fewer than the number of parts) go one each to the parts with the largest
/// remainders, ties broken by `lg_code` ascending. The result always sums to `amount_yen`
/// and each amount differs from its exact quota by less than ¥1. All weights 0 means equal
/// weights; no parts gives an empty vector.
pub fn apportion(amount_yen: i64, parts: &[(&str, u64)]) -> Vec<i64> {
    let sum: i128 = parts.iter().map(|&(_, w)| i128::from(w)).sum();
    let equal = sum == 0;
    let total_weight = if equal { parts.len() as i128 } else { sum };
    if total_weight == 0 {
        return Vec::new();
    }
    let amount = i128::from(amount_yen);
    // |amount × weight| < 2^63 · 2^64 = 2^127: exact in i128.
    let (mut shares, remainders): (Vec<i128>, Vec<i128>) = parts
        .iter()
        .map(|&(_, w)| {
            let product = amount * if equal { 1 } else { i128::from(w) };
            (
                product.div_euclid(total_weight),
                product.rem_euclid(total_weight),
            )
        })
        .unzip();
    let leftover = amount - shares.iter().sum::<i128>();
    let mut order: Vec<usize> = (0..parts.len()).collect();
    order.sort_by_key(|&i| (Reverse(remainders[i]), parts[i].0));
    for &i in order.iter().take(leftover as usize) {
        shares[i] += 1;
    }
    shares
        .into_iter()
        .map(|s| i64::try_from(s).expect("a share never exceeds the amount"))
        .collect()
}

/// Each participant's share under `plan`, in the order of `participants` (empty in, empty
/// out).
///
/// The base cost is divided by `plan.split` with [`apportion`]; usage is `quantity ×`
/// the unit price for the total quantity of all participants. Usage and totals saturate at
/// `i64::MAX` (≈ 9.2 × 10^18 yen), reached only by absurd inputs such as 10^6 units at a
/// ¥10^13 unit price; the base split itself is always exact.
pub fn allocate(plan: &CostPlan, participants: &[Participant]) -> Vec<Share> {
    let total_quantity: u64 = participants.iter().map(|p| u64::from(p.quantity)).sum();
    let unit_price = plan.unit_price_yen(total_quantity).unwrap_or(0);
    let parts: Vec<(&str, u64)> = participants
        .iter()
        .map(|p| (p.lg_code.as_str(), plan.split.weight(p)))
        .collect();
    let alone = plan.reference_price_yen_per_unit.is_some() || plan.single_buyer_base_yen.is_some();
    participants
        .iter()
        .zip(apportion(plan.base_cost_yen, &parts))
        .map(|(p, base_share_yen)| {
            let quantity = i64::from(p.quantity);
            let usage_yen = quantity.saturating_mul(unit_price);
            let total_yen = base_share_yen.saturating_add(usage_yen);
            let single_buyer_yen = alone.then(|| {
                let per_unit = plan.reference_price_yen_per_unit.unwrap_or(0);
                let base = plan.single_buyer_base_yen.unwrap_or(0);
                base.saturating_add(per_unit.saturating_mul(quantity))
            });
            Share {
                lg_code: p.lg_code.clone(),
                base_share_yen,
                usage_yen,
                total_yen,
                single_buyer_yen,
                saving_yen: single_buyer_yen.map(|s| s.saturating_sub(total_yen)),
            }
        })
        .collect()
}

/// What changes if one more municipality joins: before and after, side by side.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OneMoreJoins {
    /// Unit price now (`None` without price tiers).
    pub unit_price_before_yen: Option<i64>,
    /// Unit price with the newcomer's quantity added.
    pub unit_price_after_yen: Option<i64>,
    /// Current shares, in the order of the participants given (= [`allocate`]).
    pub before: Vec<Share>,
    /// The same participants' shares with the newcomer, same order.
    pub after: Vec<Share>,
    /// The newcomer's own share.
    pub newcomer: Share,
}

/// "If one more municipality joins, your share becomes ¥X": allocates again with `newcomer`
/// (a typical participant: its quantity and population) added.
///
/// `None` if there are no participants yet (nothing to compare) or `newcomer.lg_code`
/// already takes part (that is a change, not a join). The newcomer's `lg_code` takes part in
/// leftover-yen tie breaks; a placeholder such as `"999999"` puts it last.
pub fn if_one_more_joins(
    plan: &CostPlan,
    participants: &[Participant],
    newcomer: &Participant,
) -> Option<OneMoreJoins> {
    if participants.is_empty() || participants.iter().any(|p| p.lg_code == newcomer.lg_code) {
        return None;
    }
    let total: u64 = participants.iter().map(|p| u64::from(p.quantity)).sum();
    let mut with_newcomer = participants.to_vec();
    with_newcomer.push(newcomer.clone());
    let mut after = allocate(plan, &with_newcomer);
    let newcomer_share = after.pop()?;
    Some(OneMoreJoins {
        unit_price_before_yen: plan.unit_price_yen(total),
        unit_price_after_yen: plan.unit_price_yen(total + u64::from(newcomer.quantity)),
        before: allocate(plan, participants),
        after,
        newcomer: newcomer_share,
    })
}

/// The `CostPlan` field a [`CostError`] is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CostField {
    /// `base_cost_yen` 基本費用.
    BaseCostYen,
    /// `unit_prices` 数量単価表.
    UnitPrices,
    /// `reference_price_yen_per_unit` 単独調達時の単価.
    ReferencePriceYenPerUnit,
    /// `single_buyer_base_yen` 単独調達時の基本費用.
    SingleBuyerBaseYen,
}

impl CostField {
    /// Every field, in `CostPlan` order.
    pub const ALL: [CostField; 4] = [
        CostField::BaseCostYen,
        CostField::UnitPrices,
        CostField::ReferencePriceYenPerUnit,
        CostField::SingleBuyerBaseYen,
    ];

    /// The `CostPlan` field name (form field, serde name).
    pub fn code(self) -> &'static str {
        match self {
            CostField::BaseCostYen => "base_cost_yen",
            CostField::UnitPrices => "unit_prices",
            CostField::ReferencePriceYenPerUnit => "reference_price_yen_per_unit",
            CostField::SingleBuyerBaseYen => "single_buyer_base_yen",
        }
    }

    /// Parses a `code()`; `None` for anything else.
    pub fn from_code(code: &str) -> Option<CostField> {
        CostField::ALL.into_iter().find(|f| f.code() == code)
    }

    /// Display label: 基本費用 / "Base cost", ….
    pub fn label(self, lang: Lang) -> &'static str {
        let (ja, en) = match self {
            CostField::BaseCostYen => ("基本費用", "Base cost"),
            CostField::UnitPrices => ("数量単価表", "Volume price tiers"),
            CostField::ReferencePriceYenPerUnit => ("単独調達時の単価", "Single-buyer unit price"),
            CostField::SingleBuyerBaseYen => ("単独調達時の基本費用", "Single-buyer base cost"),
        };
        lang.pick(ja, en)
    }
}

/// Why a [`CostPlan`] is invalid. `message(lang)` is the text for people; `field()` the
/// field to mark. Tier numbers are 1-based, as shown. `Display` is the English message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.message(Lang::En))]
pub enum CostError {
    /// A plan amount outside `0 ..= MAX_YEN`.
    AmountOutOfRange {
        /// Which amount.
        field: CostField,
        /// The amount given, in yen.
        amount_yen: i64,
    },
    /// A tier's unit price outside `0 ..= MAX_YEN`.
    TierPriceOutOfRange {
        /// Tier number, from 1.
        tier: usize,
        /// The price given, in yen.
        amount_yen: i64,
    },
    /// More than [`MAX_TIERS`] tiers.
    TooManyTiers {
        /// Tiers given.
        count: usize,
    },
    /// The first tier starts above 1, leaving small totals without a price.
    FirstTierStart {
        /// The first tier's minimum given.
        min_total_quantity: u32,
    },
    /// A tier's minimum is not above the previous tier's.
    TiersNotIncreasing {
        /// Tier number, from 1.
        tier: usize,
        /// Its minimum.
        min_total_quantity: u32,
        /// The previous tier's minimum.
        previous: u32,
    },
}

impl CostError {
    /// The plan field at fault.
    pub fn field(&self) -> CostField {
        match self {
            CostError::AmountOutOfRange { field, .. } => *field,
            _ => CostField::UnitPrices,
        }
    }

    /// The message shown to people, in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        let ja = lang == Lang::Ja;
        let max = fmt_yen(MAX_YEN, lang);
        match self {
            CostError::AmountOutOfRange { field, amount_yen } => {
                let (name, got) = (field.label(lang), fmt_yen(*amount_yen, lang));
                if ja {
                    format!("{name}は0円以上{max}以下で入力してください（入力値：{got}）。")
                } else {
                    format!("{name} must be between ¥0 and {max} (got {got}).")
                }
            }
            CostError::TierPriceOutOfRange { tier, amount_yen } => {
                let got = fmt_yen(*amount_yen, lang);
                if ja {
                    format!(
                        "数量単価表の{tier}段目の単価は0円以上{max}以下で入力してください（入力値：{got}）。"
                    )
                } else {
                    format!(
                        "The unit price of tier {tier} must be between ¥0 and {max} (got {got})."
                    )
                }
            }
            CostError::TooManyTiers { count } => {
                if ja {
                    format!("数量単価表は{MAX_TIERS}段までです（現在{count}段）。")
                } else {
                    format!("At most {MAX_TIERS} price tiers are allowed (got {count}).")
                }
            }
            CostError::FirstTierStart { min_total_quantity } => {
                if ja {
                    format!(
                        "数量単価表の1段目は最低数量を0または1にしてください（入力値：{min_total_quantity}）。"
                    )
                } else {
                    format!(
                        "The first price tier must start at a total quantity of 0 or 1 (got {min_total_quantity})."
                    )
                }
            }
            CostError::TiersNotIncreasing {
                tier,
                min_total_quantity,
                previous,
            } => {
                if ja {
                    format!(
                        "数量単価表の{tier}段目の最低数量（{min_total_quantity}）は前の段（{previous}）より大きくしてください。"
                    )
                } else {
                    format!(
                        "The minimum total quantity of tier {tier} ({min_total_quantity}) must be greater than the previous tier's ({previous})."
                    )
                }
            }
        }
    }
}

/// Formats yen with thousands separators: `1,000,001円` (ja) or `¥1,000,001` (en).
pub fn fmt_yen(yen: i64, lang: Lang) -> String {
    let digits = yen.unsigned_abs().to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let sign = if yen < 0 { "-" } else { "" };
    match lang {
        Lang::Ja => format!("{sign}{grouped}円"),
        Lang::En => format!("{sign}¥{grouped}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn participant(lg_code: &str, quantity: u32, population: u64) -> Participant {
        Participant {
            lg_code: lg_code.into(),
            quantity,
            population,
        }
    }

    /// `n` participants with codes 130001.. given in descending code order.
    fn many(n: usize) -> Vec<Participant> {
        (1..=n)
            .rev()
            .map(|i| participant(&format!("13{i:04}"), 1, 0))
            .collect()
    }

    fn equal(base_cost_yen: i64) -> CostPlan {
        CostPlan {
            base_cost_yen,
            ..CostPlan::default()
        }
    }

    fn base_shares(shares: &[Share]) -> Vec<(&str, i64)> {
        shares
            .iter()
            .map(|s| (s.lg_code.as_str(), s.base_share_yen))
            .collect()
    }

    #[test]
    fn split_key_codes_and_labels() {
        for k in SplitKey::ALL {
            assert_eq!(SplitKey::from_code(k.code()), Some(k));
            assert_eq!(
                serde_json::to_string(&k).unwrap(),
                format!("\"{}\"", k.code())
            );
        }
        assert_eq!(SplitKey::Population.label(Lang::Ja), "人口割");
        assert_eq!(SplitKey::Equal.label(Lang::En), "Equal split");
        for f in CostField::ALL {
            assert_eq!(CostField::from_code(f.code()), Some(f));
            assert_eq!(
                serde_json::to_string(&f).unwrap(),
                format!("\"{}\"", f.code())
            );
        }
    }

    #[test]
    fn one_million_and_one_yen_equal_split_remainder_goes_to_lowest_codes() {
        // (participants, floor share, how many get +1)
        for (n, floor, extra) in [(3, 333_333, 2), (7, 142_857, 2), (62, 16_129, 3)] {
            let shares = allocate(&equal(1_000_001), &many(n));
            assert_eq!(shares.len(), n);
            assert_eq!(shares.iter().map(|s| s.total_yen).sum::<i64>(), 1_000_001);
            for s in &shares {
                let rank: usize = s.lg_code[2..].parse().unwrap(); // 1 = lowest code
                let expected = if rank <= extra { floor + 1 } else { floor };
                assert_eq!(s.base_share_yen, expected, "n={n} {}", s.lg_code);
                assert_eq!(s.usage_yen, 0);
                assert_eq!(s.single_buyer_yen, None);
            }
        }
        // Input order is kept: the first given is the highest code.
        let shares = allocate(&equal(1_000_001), &many(3));
        assert_eq!(
            base_shares(&shares),
            [
                ("130003", 333_333),
                ("130002", 333_334),
                ("130001", 333_334)
            ]
        );
    }

    #[test]
    fn equal_split_property_over_many_amounts_and_sizes() {
        let amounts = [
            0,
            1,
            2,
            5,
            99,
            100,
            101,
            999_983,
            1_000_001,
            123_456_789,
            MAX_YEN,
        ];
        for base in amounts {
            for n in 1..=70 {
                let shares = allocate(&equal(base), &many(n));
                let values: Vec<i64> = shares.iter().map(|s| s.base_share_yen).collect();
                assert_eq!(values.iter().sum::<i64>(), base, "base={base} n={n}");
                let (min, max) = (values.iter().min().unwrap(), values.iter().max().unwrap());
                assert!(max - min <= 1, "base={base} n={n}");
                // The +1s sit on the lowest codes (given last).
                assert!(values.windows(2).all(|w| w[0] <= w[1]), "base={base} n={n}");
            }
        }
    }

    #[test]
    fn weighted_split_stays_within_a_yen_of_the_exact_quota() {
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for round in 0..300 {
            let n = (next() % 40 + 1) as usize;
            let base = (next() % 10_000_000_000) as i64;
            // Wide weights, small weights (many ties), or all zero (equal fallback).
            let modulus = [1_000_000, 5, 1][round % 3];
            let weights: Vec<u64> = (0..n).map(|_| next() % modulus).collect();
            let codes: Vec<String> = (0..n).map(|i| format!("13{i:04}")).collect();
            let parts: Vec<(&str, u64)> = codes
                .iter()
                .map(String::as_str)
                .zip(weights.iter().copied())
                .collect();
            let shares = apportion(base, &parts);
            assert_eq!(shares.iter().sum::<i64>(), base, "round {round}");
            let sum: i128 = weights.iter().map(|&w| i128::from(w)).sum();
            for (share, &w) in shares.iter().zip(&weights) {
                let (w, total) = if sum == 0 {
                    (1, n as i128)
                } else {
                    (i128::from(w), sum)
                };
                // |share − base·w/total| < 1
                let diff = i128::from(*share) * total - i128::from(base) * w;
                assert!(diff.abs() < total, "round {round}");
            }
        }
    }

    #[test]
    fn population_split_uses_largest_remainders_before_codes() {
        let plan = CostPlan {
            base_cost_yen: 10,
            split: SplitKey::Population,
            ..CostPlan::default()
        };
        let people = [
            participant("131016", 1, 3),
            participant("131024", 1, 3),
            participant("131032", 1, 1),
        ];
        // Quotas 4.29, 4.29, 1.43: the smallest population has the largest remainder.
        assert_eq!(
            base_shares(&allocate(&plan, &people)),
            [("131016", 4), ("131024", 4), ("131032", 2)]
        );
        let plan = CostPlan {
            base_cost_yen: 30_000_000,
            ..plan
        };
        let wards = [
            participant("131016", 1, 68_000),  // 千代田区
            participant("131211", 1, 690_000), // 足立区
            participant("131130", 1, 242_000), // 渋谷区
        ];
        let shares = allocate(&plan, &wards);
        assert_eq!(
            base_shares(&shares),
            [
                ("131016", 2_040_000),
                ("131211", 20_700_000),
                ("131130", 7_260_000)
            ]
        );
    }

    #[test]
    fn zero_total_weight_falls_back_to_equal() {
        let plan = CostPlan {
            base_cost_yen: 100,
            split: SplitKey::Population,
            ..CostPlan::default()
        };
        let shares = allocate(
            &plan,
            &[
                participant("132012", 1, 0),
                participant("132021", 1, 0),
                participant("132039", 1, 0),
            ],
        );
        assert_eq!(
            base_shares(&shares),
            [("132012", 34), ("132021", 33), ("132039", 33)]
        );
    }

    #[test]
    fn quantity_split_and_volume_tiers() {
        let plan = CostPlan {
            base_cost_yen: 1_000_000,
            split: SplitKey::Quantity,
            unit_prices: vec![
                PriceTier {
                    min_total_quantity: 1,
                    unit_price_yen: 1_000,
                },
                PriceTier {
                    min_total_quantity: 100,
                    unit_price_yen: 900,
                },
                PriceTier {
                    min_total_quantity: 500,
                    unit_price_yen: 800,
                },
            ],
            ..CostPlan::default()
        };
        assert_eq!(plan.check(), Ok(()));
        assert_eq!(plan.unit_price_yen(0), Some(1_000));
        assert_eq!(plan.unit_price_yen(99), Some(1_000));
        assert_eq!(plan.unit_price_yen(100), Some(900));
        assert_eq!(plan.unit_price_yen(10_000), Some(800));
        assert_eq!(CostPlan::default().unit_price_yen(10), None);

        let people = [participant("131016", 60, 0), participant("131024", 20, 0)];
        let shares = allocate(&plan, &people); // total 80 → ¥1,000
        assert_eq!(
            base_shares(&shares),
            [("131016", 750_000), ("131024", 250_000)]
        );
        assert_eq!(shares[0].usage_yen, 60_000);
        assert_eq!(shares[0].total_yen, 810_000);
        let people = [participant("131016", 60, 0), participant("131024", 50, 0)];
        let shares = allocate(&plan, &people); // total 110 → ¥900 for every unit
        assert_eq!(shares[1].usage_yen, 45_000);
        assert_eq!(
            shares.iter().map(|s| s.base_share_yen).sum::<i64>(),
            1_000_000
        );
    }

    #[test]
    fn zero_participants_give_no_shares() {
        assert!(allocate(&equal(1_000_000), &[]).is_empty());
        assert!(apportion(5, &[]).is_empty());
        assert_eq!(
            if_one_more_joins(&equal(1), &[], &participant("999999", 1, 1)),
            None
        );
    }

    #[test]
    fn saving_against_buying_alone() {
        let plan = CostPlan {
            base_cost_yen: 6_000_000,
            unit_prices: vec![PriceTier {
                min_total_quantity: 0,
                unit_price_yen: 800,
            }],
            reference_price_yen_per_unit: Some(1_000),
            single_buyer_base_yen: Some(5_000_000),
            ..CostPlan::default()
        };
        let shares = allocate(
            &plan,
            &[
                participant("131016", 100, 0),
                participant("131024", 10, 0),
                participant("131032", 10, 0),
            ],
        );
        let s = &shares[0];
        assert_eq!(
            (s.base_share_yen, s.usage_yen, s.total_yen),
            (2_000_000, 80_000, 2_080_000)
        );
        assert_eq!(s.single_buyer_yen, Some(5_100_000));
        assert_eq!(s.saving_yen, Some(3_020_000));
        // Only a per-unit reference: the missing base counts as ¥0, so the saving can be negative.
        let plan = CostPlan {
            single_buyer_base_yen: None,
            ..plan
        };
        let s = &allocate(
            &plan,
            &[participant("131016", 100, 0), participant("131024", 10, 0)],
        )[1];
        assert_eq!(
            (s.total_yen, s.single_buyer_yen, s.saving_yen),
            (3_008_000, Some(10_000), Some(-2_998_000))
        );
    }

    #[test]
    fn one_more_joining_lowers_base_shares_and_unit_price() {
        let plan = CostPlan {
            base_cost_yen: 9_000_000,
            unit_prices: vec![
                PriceTier {
                    min_total_quantity: 1,
                    unit_price_yen: 1_000,
                },
                PriceTier {
                    min_total_quantity: 200,
                    unit_price_yen: 700,
                },
            ],
            ..CostPlan::default()
        };
        let people = [participant("131016", 100, 0), participant("131024", 50, 0)];
        let what_if = if_one_more_joins(&plan, &people, &participant("999999", 60, 0)).unwrap();
        assert_eq!(what_if.unit_price_before_yen, Some(1_000));
        assert_eq!(what_if.unit_price_after_yen, Some(700));
        assert_eq!(what_if.before, allocate(&plan, &people));
        assert_eq!(what_if.before[0].total_yen, 4_500_000 + 100_000);
        assert_eq!(what_if.after[0].total_yen, 3_000_000 + 70_000);
        assert_eq!(what_if.after[1].total_yen, 3_000_000 + 35_000);
        assert_eq!(what_if.newcomer.lg_code, "999999");
        assert_eq!(what_if.newcomer.total_yen, 3_000_000 + 42_000);
        assert_eq!(
            if_one_more_joins(&plan, &people, &participant("131024", 1, 0)),
            None
        );
    }

    #[test]
    fn check_names_the_field() {
        assert_eq!(equal(0).check(), Ok(()));
        let err = equal(-1).check().unwrap_err();
        assert_eq!(
            err,
            CostError::AmountOutOfRange {
                field: CostField::BaseCostYen,
                amount_yen: -1
            }
        );
        assert_eq!(err.field().code(), "base_cost_yen");
        assert_eq!(
            err.message(Lang::Ja),
            "基本費用は0円以上10,000,000,000,000円以下で入力してください（入力値：-1円）。"
        );
        assert_eq!(
            err.to_string(),
            "Base cost must be between ¥0 and ¥10,000,000,000,000 (got -¥1)."
        );

        let plan = CostPlan {
            single_buyer_base_yen: Some(MAX_YEN + 1),
            ..equal(MAX_YEN)
        };
        assert_eq!(
            plan.check().unwrap_err().field(),
            CostField::SingleBuyerBaseYen
        );
        let plan = CostPlan {
            reference_price_yen_per_unit: Some(-5),
            ..equal(1)
        };
        assert_eq!(
            plan.check().unwrap_err().field(),
            CostField::ReferencePriceYenPerUnit
        );

        let tier = |min, price| PriceTier {
            min_total_quantity: min,
            unit_price_yen: price,
        };
        let with = |tiers: Vec<PriceTier>| CostPlan {
            unit_prices: tiers,
            ..equal(1)
        };
        let err = with(vec![tier(1, 10), tier(50, 9), tier(50, 8)])
            .check()
            .unwrap_err();
        assert_eq!(
            err,
            CostError::TiersNotIncreasing {
                tier: 3,
                min_total_quantity: 50,
                previous: 50
            }
        );
        assert_eq!(err.field(), CostField::UnitPrices);
        assert_eq!(
            err.message(Lang::Ja),
            "数量単価表の3段目の最低数量（50）は前の段（50）より大きくしてください。"
        );
        assert_eq!(
            with(vec![tier(0, 10), tier(5, -1)]).check(),
            Err(CostError::TierPriceOutOfRange {
                tier: 2,
                amount_yen: -1
            })
        );
        assert_eq!(
            with(vec![tier(10, 5)]).check(),
            Err(CostError::FirstTierStart {
                min_total_quantity: 10
            })
        );
        let eleven: Vec<PriceTier> = (0..11).map(|i| tier(i, 100)).collect();
        assert_eq!(
            with(eleven.clone()).check(),
            Err(CostError::TooManyTiers { count: 11 })
        );
        assert_eq!(with(eleven[..10].to_vec()).check(), Ok(()));
    }

    #[test]
    fn yen_formatting() {
        assert_eq!(fmt_yen(0, Lang::Ja), "0円");
        assert_eq!(fmt_yen(999, Lang::En), "¥999");
        assert_eq!(fmt_yen(1_000, Lang::En), "¥1,000");
        assert_eq!(fmt_yen(1_000_001, Lang::Ja), "1,000,001円");
        assert_eq!(fmt_yen(-1_234_567, Lang::En), "-¥1,234,567");
        assert_eq!(fmt_yen(i64::MIN, Lang::Ja), "-9,223,372,036,854,775,808円");
    }
}
