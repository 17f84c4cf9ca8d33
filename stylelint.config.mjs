// Stylelint for the site's own style sheets (static/css and each app's static/): `make lint`.
export default {
  extends: ["stylelint-config-standard"],
  ignoreFiles: ["static/vendor/**", "node_modules/**", ".venv/**", "var/**", "test-results/**"],
  rules: {
    // Class names follow Designsystemet's BEM (block__element--modifier), not plain kebab-case.
    "selector-class-pattern": null,
    // Short rules are kept on one line (`.a { margin: 0; padding: 0; }`).
    "declaration-block-single-line-max-declarations": null,
    // Designsystemet's own custom properties (--dsc-button-background--hover) are set as they are named.
    "custom-property-pattern": null,
    // (max-width: 40rem), as older browsers still in use read it.
    "media-feature-range-notation": "prefix",
    // The visually-hidden pattern keeps `clip` beside `clip-path` for older browsers.
    "property-no-deprecated": [true, { ignoreProperties: ["clip"] }],
    // Rules are ordered by component, not by specificity.
    "no-descending-specificity": null,
  },
  overrides: [
    // The goal colours are written exactly as the database holds them (tests/goals/test_goals_css.py).
    { files: ["static/css/goals.css"], rules: { "color-hex-length": null } },
  ],
};
