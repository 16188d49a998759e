import { createRouter, createWebHistory } from 'vue-router'
import { loadSession } from './services/session.ts'

/** Each page is its own chunk. Pages marked `signedIn` send a visitor to /login first. */
export const router = createRouter({
  history: createWebHistory(),
  routes: [
    { path: '/', name: 'map', component: () => import('./pages/MapPage.vue') },
    { path: '/wall', name: 'wall', component: () => import('./pages/WallPage.vue'), meta: { signedIn: true } },
    { path: '/login', name: 'login', component: () => import('./pages/LoginPage.vue') },
    { path: '/:pathMatch(.*)*', redirect: '/' },
  ],
})

router.beforeEach((to) => {
  if (to.meta.signedIn && !loadSession()) return { path: '/login', query: { next: to.fullPath } }
})
