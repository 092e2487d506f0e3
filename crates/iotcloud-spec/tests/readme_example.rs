//! The worked example of `api-spec/README.md` must stay a valid spec.

use std::path::Path;

#[test]
fn readme_worked_example_parses() {
    let readme = include_str!("../../../api-spec/README.md");
    let start = readme.find("```yaml\n").expect("README has a yaml block") + "```yaml\n".len();
    let end = start + readme[start..].find("```").expect("yaml block is closed");
    let loaded = iotcloud_spec::parse(Path::new("api-spec/README.md"), &readme[start..end])
        .unwrap_or_else(|e| panic!("{e}"));
    let op = loaded.spec.operation("QueryDevice").expect("QueryDevice");
    assert_eq!(
        op.pagination.as_ref().map(|p| p.style),
        Some(iotcloud_spec::PageStyle::CurrentPage)
    );
    assert_eq!(op.response[2].ty.to_string(), "list<DeviceInfo>");
    assert_eq!(op.response[2].wrapper.as_deref(), Some("DeviceInfo"));
    assert!(op.structs[0].fields[1].sensitive);
    assert!(loaded.line_of(Some("QueryDevice"), Some("PageSize")) > 0);
}
