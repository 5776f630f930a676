// Loaded as <script type="module" src=".../init.js">: a browser that runs ES modules
// is one GOV.UK Frontend supports, so mark <body> here instead of with the inline
// <script> of GOV.UK's page template (a strict Content Security Policy forbids it).
import { initAll } from './govuk/govuk-frontend.min.js'

document.body.classList.add('js-enabled', 'govuk-frontend-supported')
initAll()
