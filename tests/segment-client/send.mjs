// Sends a fixed set of messages to Flywheel with the unmodified Segment Node.js library, the way a shop's server
// would, and exits non-zero when any of them is not delivered.
//
// Usage: node send.mjs <flywheel base url> <write key> [user id]
//    or: FLYWHEEL_URL=... FLYWHEEL_WRITE_KEY=... [FLYWHEEL_USER_ID=...] node send.mjs
import { Analytics } from '@segment/analytics-node'

const [host = process.env.FLYWHEEL_URL, writeKey = process.env.FLYWHEEL_WRITE_KEY, userId = process.env.FLYWHEEL_USER_ID ?? 'segment-node-user'] =
  process.argv.slice(2)
if (!host || !writeKey) {
  console.error('usage: node send.mjs <flywheel base url> <write key> [user id]')
  process.exit(2)
}

// host points at Flywheel; path stays the library's default (/v1/batch). Everything goes out in one batch at
// closeAndFlush(), and a failure is reported after two retries instead of hours of back-off.
const analytics = new Analytics({ writeKey, host, flushAt: 20, flushInterval: 60_000, maxRetries: 2, httpRequestTimeout: 10_000 })

const failures = []
analytics.on('error', (err) => failures.push(new Error(`${err?.code ?? 'error'}: ${err?.reason?.message ?? err?.message ?? ''}`)))
const delivered = (name) => (err) => {
  if (err) failures.push(new Error(`${name}: ${err.message ?? err}`))
}

const anonymousId = `${userId}-anon`
const context = {
  ip: '198.51.100.23',
  userAgent: 'Mozilla/5.0 (segment-client check)',
  device: { type: 'mobile' },
  campaign: { source: 'wechat', medium: 'social', name: 'double11', content: 'banner', term: 'face cream' },
  page: { url: 'https://shop.example/products/P-100', referrer: 'https://search.example/?q=cream' },
}

analytics.identify({ userId, anonymousId, traits: { email: 'li.wei@example.com', city: 'Hangzhou' }, context }, delivered('identify'))
analytics.page(
  {
    userId,
    anonymousId,
    name: 'Face cream',
    properties: { url: 'https://shop.example/products/P-100', path: '/products/P-100', title: 'Face cream', referrer: 'https://search.example/?q=cream' },
    context,
  },
  delivered('page'),
)
analytics.track(
  {
    userId,
    anonymousId,
    event: 'Product Viewed',
    properties: { product_id: 'P-100', name: 'Face cream', category: 'beauty', brand: 'Acme', price: 129.9, currency: 'CNY' },
    context,
  },
  delivered('Product Viewed'),
)
analytics.track(
  {
    userId,
    anonymousId,
    event: 'Order Completed',
    properties: {
      order_id: `${userId}-order-1`,
      total: 269.8,
      revenue: 259.8,
      shipping: 10,
      currency: 'CNY',
      coupon: 'DOUBLE11',
      products: [{ product_id: 'P-100', sku: 'SKU-100', name: 'Face cream', category: 'beauty', brand: 'Acme', price: 129.9, quantity: 2 }],
    },
    context,
  },
  delivered('Order Completed'),
)

await analytics.closeAndFlush({ timeout: 30_000 })
if (failures.length > 0) {
  for (const f of failures) console.error(`delivery failed: ${f.message}`)
  process.exit(1)
}
console.log('4 messages delivered')
