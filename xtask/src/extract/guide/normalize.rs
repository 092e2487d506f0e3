//! Text normalisation: radical code points mapped to unified ideographs, page furniture removed.
//!
//! Not blanket NFKC: NFKC maps `⼾` to the traditional `戶`, leaves five CJK supplement radicals
//! alone and turns full-width punctuation into ASCII, which would silently change prose, enum
//! separators and the JSON examples. Punctuation is therefore left as printed.

/// A line of the document after normalisation, with its 1-based line number in the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub no: u32,
    pub text: String,
}

/// The 51 radical code points the PDF dump uses, each mapped to the ideograph it stands for.
const RADICALS: &[(char, char)] = &[
    ('\u{2E9F}', '母'),
    ('\u{2EC5}', '见'),
    ('\u{2EC6}', '角'),
    ('\u{2ED3}', '长'),
    ('\u{2ED4}', '门'),
    ('\u{2EDA}', '页'),
    ('\u{2F00}', '一'),
    ('\u{2F06}', '二'),
    ('\u{2F08}', '人'),
    ('\u{2F0A}', '入'),
    ('\u{2F0F}', '几'),
    ('\u{2F12}', '力'),
    ('\u{2F1C}', '又'),
    ('\u{2F1D}', '口'),
    ('\u{2F24}', '大'),
    ('\u{2F26}', '子'),
    ('\u{2F2F}', '工'),
    ('\u{2F34}', '广'),
    ('\u{2F3C}', '心'),
    ('\u{2F3E}', '户'),
    ('\u{2F3F}', '手'),
    ('\u{2F40}', '支'),
    ('\u{2F42}', '文'),
    ('\u{2F45}', '方'),
    ('\u{2F46}', '无'),
    ('\u{2F47}', '日'),
    ('\u{2F49}', '月'),
    ('\u{2F4C}', '止'),
    ('\u{2F50}', '比'),
    ('\u{2F57}', '父'),
    ('\u{2F5A}', '片'),
    ('\u{2F63}', '生'),
    ('\u{2F64}', '用'),
    ('\u{2F6C}', '目'),
    ('\u{2F70}', '示'),
    ('\u{2F79}', '网'),
    ('\u{2F83}', '自'),
    ('\u{2F84}', '至'),
    ('\u{2F8A}', '色'),
    ('\u{2F8F}', '行'),
    ('\u{2F94}', '言'),
    ('\u{2F95}', '谷'),
    ('\u{2F9C}', '足'),
    ('\u{2F9D}', '身'),
    ('\u{2FA5}', '里'),
    ('\u{2FA6}', '金'),
    ('\u{2FAA}', '隶'),
    ('\u{2FAE}', '非'),
    ('\u{2FAF}', '面'),
    ('\u{2FB8}', '首'),
    ('\u{2FBC}', '高'),
];

/// Map radical code points to unified ideographs; everything else is kept.
pub fn map_radicals(text: &str) -> String {
    text.chars()
        .map(|c| {
            if ('\u{2E80}'..='\u{2FDF}').contains(&c) {
                RADICALS
                    .binary_search_by(|(k, _)| k.cmp(&c))
                    .map(|i| RADICALS[i].1)
                    .unwrap_or(c)
            } else {
                c
            }
        })
        .collect()
}

/// `文档版本：20190523 91` or `70 文档版本：20190523`.
fn is_footer(t: &str) -> bool {
    let t = t.trim();
    let Some(pos) = t.find("文档版本：") else {
        return false;
    };
    let (before, after) = (&t[..pos], &t[pos + "文档版本：".len()..]);
    let digits_or_space = |s: &str| s.chars().all(|c| c.is_ascii_digit() || c == ' ');
    digits_or_space(before) && digits_or_space(after)
}

/// ` 物联网平台 云端开发指南 /  2 云端API参考`.
fn is_running_header(t: &str) -> bool {
    let t = t.trim();
    t.starts_with("物联网平台 云端开发指南 /")
}

/// Normalise the whole document: split lines, map radicals, drop footers, running headers and
/// the blank lines and link debris between a footer and the header that follows it.
pub fn normalize(text: &str) -> Vec<Line> {
    let raw: Vec<String> = text
        .split('\n')
        .map(|l| map_radicals(l.strip_suffix('\r').unwrap_or(l)))
        .collect();
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        let t = &raw[i];
        if is_running_header(t) {
            i += 1;
            continue;
        }
        if is_footer(t) {
            // Skip to the running header if it follows within a few blank/link lines.
            let mut j = i + 1;
            while j < raw.len() && j <= i + 8 {
                let s = raw[j].trim();
                if s.is_empty() || s.starts_with("http") {
                    j += 1;
                    continue;
                }
                break;
            }
            if j < raw.len() && is_running_header(&raw[j]) {
                i = j + 1;
            } else {
                i += 1;
            }
            continue;
        }
        out.push(Line {
            no: u32::try_from(i + 1).unwrap_or(u32::MAX),
            text: t.clone(),
        });
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn radicals_map_to_simplified_ideographs() {
        assert_eq!(map_radicals("调⽤该接⼝"), "调用该接口");
        // NFKC would give the traditional 戶 here.
        assert_eq!(map_radicals("租⼾"), "租户");
        assert_eq!(map_radicals("请参⻅公共参数，分⻚"), "请参见公共参数，分页");
        // Full-width punctuation is kept.
        assert_eq!(map_radicals("0：设备，"), "0：设备，");
    }

    #[test]
    fn table_is_sorted_for_binary_search() {
        assert!(RADICALS.windows(2).all(|w| w[0].0 < w[1].0));
        assert_eq!(RADICALS.len(), 51);
    }

    #[test]
    fn furniture_is_dropped_and_line_numbers_kept() {
        let text = "a\n\"x\": 1\n\n⽂档版本：20190523 205\n\nhttps://account.console.aliyun.com/#/secure\n\n物联⽹平台 云端开发指南 /  2 云端API参考\n}\n";
        let lines = normalize(text);
        let got: Vec<(u32, &str)> = lines.iter().map(|l| (l.no, l.text.as_str())).collect();
        assert_eq!(
            got,
            vec![(1, "a"), (2, "\"x\": 1"), (3, ""), (9, "}"), (10, "")]
        );
    }
}
